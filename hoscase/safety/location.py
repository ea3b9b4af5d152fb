"""Warn when the database sits on a network share or in a cloud-synced folder.

SQLite's locking and WAL need a local disk: on SMB/NFS shares locks may not reach other computers
and a dropped connection can tear a write; sync clients (OneDrive, Dropbox, ...) copy the file
while it is being written and can bring back an old copy or make "conflicted copies". Backups, on
the other hand, are whole finished files and are safe to send to a share.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath

NETWORK_FILESYSTEMS = {
    "cifs", "smb", "smb2", "smb3", "smbfs", "nfs", "nfs4", "sshfs", "fuse.sshfs", "afpfs", "afp",
    "davfs", "fuse.davfs", "davfs2", "webdav", "9p", "fuse.rclone", "ncpfs", "coda", "afs", "ceph", "glusterfs",
    "fuse.glusterfs", "lustre", "fuse.s3fs", "fuse.gvfsd-fuse",
}
# Folder names that sync clients create (matched against each part of the path, case-insensitively).
CLOUD_FOLDERS = {
    "onedrive": "OneDrive", "dropbox": "Dropbox", "google drive": "Google Drive", "googledrive": "Google Drive",
    "my drive": "Google Drive", "icloud drive": "iCloud Drive", "iclouddrive": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive", "mobile documents": "iCloud Drive", "box sync": "Box",
    "nextcloud": "Nextcloud", "owncloud": "ownCloud", "pcloud drive": "pCloud", "megasync": "MEGA",
    "cloudstorage": "a cloud storage provider",  # macOS: ~/Library/CloudStorage/<provider>
}
GENERIC = "a cloud storage provider"
ADVICE = ("Keep the database on this computer's own disk (the default data folder) and send the backups "
          "to the share instead: set the backup folder there.")
DRIVE_REMOTE = 4


@dataclass
class StorageWarning:
    """Why the database's location is unsafe, and what to do."""

    path: Path
    reason: str
    advice: str = ADVICE

    @property
    def message(self) -> str:
        return f"{self.path} {self.reason}. {self.advice}"

    def __str__(self) -> str:
        return self.message


def _existing(path: Path) -> Path:
    """The path, or its nearest existing parent (a new database file does not exist yet)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return path.resolve()
    except OSError:
        return path


def _cloud_folder(path: PurePath) -> str | None:
    names = [part.lower() for part in path.parts]
    prefixes = (("onedrive - ", "OneDrive"), ("onedrive-", "OneDrive"), ("dropbox (", "Dropbox"),
                ("googledrive-", "Google Drive"), ("dropbox-", "Dropbox"), ("box-", "Box"))
    for name in names:  # a provider's own folder name first: it says which provider
        if name in CLOUD_FOLDERS and CLOUD_FOLDERS[name] != GENERIC:
            return CLOUD_FOLDERS[name]
        for prefix, label in prefixes:
            if name.startswith(prefix):
                return label
    if any(CLOUD_FOLDERS.get(name) == GENERIC for name in names):
        return GENERIC
    for key in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        root = os.environ.get(key)
        if root:
            try:
                path_str = os.path.normcase(str(path))
                root_str = os.path.normcase(os.path.abspath(root))
            except (TypeError, ValueError):
                continue
            if path_str == root_str or path_str.startswith(root_str.rstrip("\\/") + os.sep):
                return "OneDrive"
    return None


def _unescape_mount(field: str) -> str:
    """/proc/mounts escapes spaces and tabs in mount points as octal."""
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def parse_proc_mounts(text: str) -> list[tuple[str, str, str]]:
    """(device, mount point, filesystem type) for each line of /proc/mounts."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape_mount(fields[0]), _unescape_mount(fields[1]), fields[2].lower()))
    return mounts


def parse_bsd_mount(text: str) -> list[tuple[str, str, str]]:
    """macOS ``mount`` output: ``//user@server/share on /Volumes/share (smbfs, nodev, ...)``."""
    mounts = []
    for line in text.splitlines():
        if " on " not in line or "(" not in line:
            continue
        device, rest = line.split(" on ", 1)
        point, _, options = rest.rpartition(" (")
        fstype = options.split(",")[0].strip(" )").lower()
        mounts.append((device.strip(), point.strip(), fstype))
    return mounts


def _mount_table() -> list[tuple[str, str, str]]:
    for name in ("/proc/self/mounts", "/proc/mounts"):
        try:
            with open(name, encoding="utf-8", errors="replace") as handle:
                return parse_proc_mounts(handle.read())
        except OSError:
            continue
    if sys.platform == "darwin" or sys.platform.startswith(("freebsd", "openbsd", "netbsd")):
        try:  # no network involved: the kernel's own mount table, read by the system's mount tool
            out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5).stdout
            return parse_bsd_mount(out)
        except (OSError, subprocess.SubprocessError):
            return []
    return []


def filesystem_of(path: Path, mounts: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The mount holding ``path``: the one with the longest mount point that is a parent of it."""
    text = str(path)
    best = None
    for device, point, fstype in mounts:
        prefix = point.rstrip("/") + "/"
        if text == point or text.startswith(prefix) or point == "/":
            if best is None or len(point) > len(best[1]):
                best = (device, point, fstype)
    return best


def _windows_warning(path: Path, raw: str) -> str | None:
    win = PureWindowsPath(raw)
    if raw.startswith(("\\\\", "//")) and not raw.startswith(("\\\\?\\", "\\\\.\\")) or raw.upper().startswith(
            "\\\\?\\UNC\\"):
        return f"is on a network share ({win.anchor or raw.split(chr(92))[2]})"
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        drive = win.drive or Path(raw).resolve().drive
        if drive:
            kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
            if kind == DRIVE_REMOTE:
                return f"is on a network drive ({drive})"
    return None


def storage_warning(path: Path | str, *, mounts: list[tuple[str, str, str]] | None = None) -> StorageWarning | None:
    """A warning when ``path`` is on a network share or inside a cloud-synced folder; None when it is local.

    ``mounts`` (device, mount point, filesystem type) replaces the system's mount table in tests.
    """
    raw = str(path)
    if raw == ":memory:":
        return None
    reason = _windows_warning(Path(raw), raw)
    if reason:
        return StorageWarning(Path(raw), reason)
    real = _existing(Path(raw)) if mounts is None else Path(os.path.abspath(raw))
    if "gvfs" in real.parts and any(p.startswith(("smb-share:", "sftp:", "dav:", "afp-volume:", "nfs:"))
                                   for p in real.parts):
        return StorageWarning(Path(raw), "is on a network share opened through the file manager (GVFS)")
    if os.name != "nt":
        table = mounts if mounts is not None else _mount_table()
        mount = filesystem_of(real, table)
        if mount and (mount[2] in NETWORK_FILESYSTEMS or mount[2].startswith(("nfs", "smb", "cifs"))):
            return StorageWarning(
                Path(raw), f"is on a network share ({mount[2]} filesystem {mount[0]} mounted at {mount[1]})")
    cloud = _cloud_folder(real) or _cloud_folder(PurePath(os.path.abspath(raw)))
    if cloud:
        return StorageWarning(
            Path(raw), f"is inside a folder that {cloud} synchronises; a sync client copying the file while it is "
                       "written can bring back an old copy or make conflicted copies")
    return None
