"""What the engines share: input errors and validators (:mod:`.input`), the JSON CLI
(:mod:`.cli`)."""
