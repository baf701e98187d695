"""Close X windows the way a window manager's close button does: WM_DELETE_WINDOW.

There is no window manager under Xvfb and Debian's xdotool cannot send the message,
so this speaks Xlib through ctypes. A window can vanish between finding and closing it
(Qt recreates its native window when a flag such as "on top" changes): Xlib's default
error handler would then end the whole test process, so errors are only counted here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import subprocess

CLIENT_MESSAGE = 33
_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_x_errors: list[int] = []


@_ERROR_HANDLER
def _count_error(_display: int, _event: int) -> int:
    _x_errors.append(1)
    return 0


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _Event(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def windows_named(display: str, title: str) -> list[int]:
    found = subprocess.run(
        ["xdotool", "search", "--name", f"^{title}$"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
    )
    return [int(line) for line in found.stdout.split()]


def ask_to_close(display: str, window_id: int) -> bool:
    """Send WM_DELETE_WINDOW; False when the window no longer exists."""
    xlib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_long,
        ctypes.c_void_p,
    ]
    xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xlib.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
    xlib.XSetErrorHandler.restype = ctypes.c_void_p
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XSetErrorHandler(_count_error)
    dpy = xlib.XOpenDisplay(display.encode())
    if not dpy:
        raise OSError(f"cannot open X display {display}")
    try:
        event = _Event()
        event.xclient.type = CLIENT_MESSAGE
        event.xclient.window = window_id
        event.xclient.message_type = xlib.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        event.xclient.format = 32
        event.xclient.data[0] = xlib.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        event.xclient.data[1] = 0  # CurrentTime
        errors_before = len(_x_errors)
        xlib.XSendEvent(dpy, window_id, 0, 0, ctypes.byref(event))
        xlib.XSync(dpy, 0)  # delivers a BadWindow now, to the handler above
        return len(_x_errors) == errors_before
    finally:
        xlib.XCloseDisplay(dpy)
