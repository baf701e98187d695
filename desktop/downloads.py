"""Downloads (exports, backups) go through a save dialog, named as the server names them.

pywebview's own Qt handler proposes the URL path as the file name and calls setPath(),
which Qt 6 no longer has, so under Qt the app swaps in its own handler. The other
backends (GTK, Cocoa, WebView2) keep pywebview's (settings["ALLOW_DOWNLOADS"]).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

DIALOG_TITLE = "Save as"


def handle_qt_downloads(window: Any) -> None:
    """Connect the save dialog to the window's web profile; call from before_show."""
    native = window.native
    profile = native.webview.page().profile()
    with contextlib.suppress(TypeError, RuntimeError):  # not connected: nothing to replace
        profile.downloadRequested.disconnect(native.on_download_requested)
    profile.downloadRequested.connect(lambda download: ask_where_to_save(native, download))


def ask_where_to_save(parent: Any, download: Any) -> None:
    from platformdirs import user_downloads_dir
    from qtpy.QtWidgets import QFileDialog

    folder = Path(user_downloads_dir())
    suggested = str((folder if folder.is_dir() else Path.home()) / download.downloadFileName())
    path, _ = QFileDialog.getSaveFileName(parent, DIALOG_TITLE, suggested)
    if not path:
        download.cancel()
        return
    download.setDownloadDirectory(os.path.dirname(path))
    download.setDownloadFileName(os.path.basename(path))
    download.accept()
