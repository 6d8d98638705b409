"""Where things live: bundled assets, the settings file and the office database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "mot-cua-kiosk"
ENV_DATA_DIR = "KIOSK_DATA_DIR"


def assets_dir() -> Path:
    """The `assets/` folder: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "assets", here / "_assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("assets folder not found beside the kiosk package")


@dataclass(frozen=True)
class Paths:
    """The files of one installation (or of one office, with `--data-dir`)."""

    config_dir: Path
    data_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "office.db"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def prints_dir(self) -> Path:
        return self.data_dir / "prints"

    @property
    def voice_dir(self) -> Path:
        """The office's own voice recordings (WAV clips that replace the shipped ones)."""
        return self.data_dir / "voice"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """`--data-dir` wins, then `KIOSK_DATA_DIR`, then the platform's folders (platformdirs).

    With an explicit data folder, the settings file lives in it too, so one folder is one office.
    """
    chosen = data_dir if data_dir is not None else os.environ.get(ENV_DATA_DIR) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return Paths(config_dir=root, data_dir=root)
    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
    )
