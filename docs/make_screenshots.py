"""Screenshots for the README, from the real app on a real (virtual) screen.

Run under Xvfb:  xvfb-run -a python docs/make_screenshots.py
It imports the example claims into a temporary data folder, opens the main window and saves
PNGs in docs/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer

from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_import
from j3490_desk.services.app_data import open_app_data
from j3490_desk.ui.app import create_application
from j3490_desk.ui.main_window import MainWindow

OUT = Path(__file__).parent / "screenshots"


def main() -> int:
    app = create_application()
    with tempfile.TemporaryDirectory() as folder:
        data = open_app_data(Path(folder) / "data", exclusive=True)
        for example in sorted((resources_dir() / "examples").glob("*.json")):
            claim_import.import_claim_file(data, example)
        window = MainWindow(data)
        window.resize(1100, 520)
        window.show()

        def grab() -> None:
            window.table.resizeColumnsToContents()
            window.grab().save(str(OUT / "main-window.png"))
            app.quit()

        QTimer.singleShot(500, grab)
        app.exec()
        data.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
