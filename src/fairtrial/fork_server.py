"""What the fork server imports (``workers.use_fork_server``), and no program itself: it runs once,
in the fork server, before any worker is forked from it.

- **Ctrl+C aside.** Ctrl+C in a terminal reaches every process of the command. The fork server,
  still importing for the workers, printed a traceback under the command's one line ("stopped by
  the user"). The program itself stops its workers when interrupted (``workers.stop_workers``),
  so the fork server and the workers it forks (they keep its signal handling) ignore Ctrl+C.
- **What every fit needs**: scikit-learn, pandas, the recipes, and skops for the final models'
  files (``fitting.fit_job``), imported once here instead of in each worker.
- **Then ``gc.freeze()``**, as Python's documentation advises before forking: the imported
  objects move out of the garbage collector's reach, so a worker's collections do not walk them
  (and, walking them, write to memory the worker shares with this server, making it copy every
  page it touches).
"""

import gc
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)

import skops.io  # noqa: E402,F401

from . import fitting, models, recipes, workers  # noqa: E402,F401

gc.freeze()
