"""The suite's figures (requests sent, writes verified, kills survived, payloads tried).

Each test records its figures in artifacts/reliability/<name>.json and prints them, so a
CI log and docs/reliability.md can quote them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[2] / "artifacts" / "reliability"


def record(name: str, **figures: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, indent=2, sort_keys=True, default=str)
    (OUT / f"{name}.json").write_text(text + "\n")
    print(f"\n[reliability] {name}: {json.dumps(figures, default=str)}")
