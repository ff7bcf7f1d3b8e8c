"""What the fork server imports first (``workers._PRELOAD``), and no program itself: Ctrl+C.

Ctrl+C in a terminal reaches every process of the command. The fork server, still importing
for the workers, printed a traceback under the command's one line ("stopped by the user").
The program itself stops its workers when interrupted (``workers.stop_workers``), so the fork
server and the workers it forks (they keep its signal handling) ignore Ctrl+C."""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
