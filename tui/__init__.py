"""eksguide's front ends: the command line (`cli`) and the Textual app (`app`).

Only `tui.app` and the modules under `tui.screens` and `tui.widgets` import Textual; the
command line imports them only to open the app, so `eksguide ask` and `snippet` start fast.
"""
