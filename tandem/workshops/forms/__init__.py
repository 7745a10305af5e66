"""Workshop forms: ``workshops`` (browse, plan, sessions, facilitators, certificate check) and
``run`` (materials, ratings, topic proposals)."""
