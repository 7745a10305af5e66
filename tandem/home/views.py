"""The home page: a welcome, then each app's block for this person (see tandem.core.blocks)."""

from django.shortcuts import render

from tandem.core.blocks import audience_of, blocks_for


def home(request):
    blocks = blocks_for(request)
    return render(
        request,
        "home/home.html",
        {
            "audience": audience_of(request),
            "blocks": blocks,
            "blocks_by_name": {block.name: context for block, context in blocks},
        },
    )
