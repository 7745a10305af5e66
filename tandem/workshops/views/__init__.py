"""Workshop pages, one module per task: ``workshops`` (browse, plan, register), ``run`` (a
session's roster, materials, ratings, certificates), ``topics`` (topics chosen with the cohort),
``reports`` (the coordinators' report) and ``verify`` (the public certificate check)."""
