"""The pure-Python engines: no Django, no other part of ``tandem`` (checked by import-linter).

* :mod:`~tandem.engines.timewindows`  weekly local windows -> exact UTC intervals (both engines)
* :mod:`~tandem.engines.common`       input errors/validators and the JSON command-line runner
* :mod:`~tandem.engines.pairing`      who is paired with whom, and why
* :mod:`~tandem.engines.scheduling`   when a group can meet

The Django apps adapt their data to the engines' JSON input and store or show the results.
"""
