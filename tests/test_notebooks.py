"""Every notebook in notebooks/ runs top to bottom with small settings.

The notebooks are documentation a user executes; a cell that raises is a
broken promise. ``SIM_NOTEBOOK_SMALL=1`` makes each notebook shrink its
scale, horizon and replications; results go to a temporary folder.
Committed notebooks must stay small (no bulky outputs).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_three_notebooks() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names == [
        "01_quickstart.ipynb",
        "02_makerspace_oversupply.ipynb",
        "03_policy_what_if.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_small(path: Path) -> None:
    assert path.stat().st_size < 100_000, f"{path.name}: clear its outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIM_NOTEBOOK_SMALL", "1")
    monkeypatch.setenv("SIM_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    # kernel "python3" runs this interpreter: jupyter_client swaps a bare "python" for sys.executable
    client = NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError naming the cell that failed
    images = sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    )
    assert images >= 2, f"{path.name}: expected figures in the outputs, got {images}"
