"""Every meeting of the retired kind "workshop" becomes a workshop of the same cohort (title,
agenda as its description, video link, author) with one session at the meeting's time and
length; the meetings are then deleted. Reversing turns each one-session workshop created here
back into a meeting."""

from django.db import migrations

MOVED = "Moved from a meeting of kind workshop."


def meetings_to_workshops(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Workshop = apps.get_model("workshops", "Workshop")
    Session = apps.get_model("workshops", "Session")
    for meeting in Meeting.objects.filter(kind="workshop").order_by("pk").iterator():
        workshop = Workshop.objects.create(
            cohort_id=meeting.cohort_id,
            title=meeting.title,
            description=meeting.agenda,
            video_url=meeting.video_url,
            created_by_id=meeting.created_by_id,
        )
        # created_at is auto_now_add: keep the meeting's.
        Workshop.objects.filter(pk=workshop.pk).update(created_at=meeting.created_at)
        Session.objects.create(
            workshop=workshop,
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
            sequence=meeting.sequence + 1,  # a new calendar entry replaces the meeting's
        )
        meeting.delete()


def workshops_to_meetings(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Workshop = apps.get_model("workshops", "Workshop")
    for workshop in Workshop.objects.prefetch_related("sessions").order_by("pk"):
        for session in workshop.sessions.all():
            Meeting.objects.create(
                cohort_id=workshop.cohort_id,
                kind="workshop",
                title=workshop.title,
                agenda=workshop.description,
                video_url=workshop.video_url,
                starts_at=session.starts_at,
                duration_minutes=session.duration_minutes,
                created_by_id=workshop.created_by_id,
            )
        workshop.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0001_initial"),
        ("meetings", "0005_calendar_feeds_moved_out"),
    ]

    operations = [migrations.RunPython(meetings_to_workshops, workshops_to_meetings)]
