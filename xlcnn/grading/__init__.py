"""A whole class: the grading pipeline, rubric, diagnoses, similarity, feedback, gradebook and outputs.

``load(OUTDIR)`` gives a teacher's own notebook the class as pandas DataFrames (see
:mod:`xlcnn.grading.statistics`)."""


def load(outdir) -> dict:
    """The frames of a class graded into ``outdir`` (or of its ``results.json``): answers (one row per
    submission and question), items (facility, discrimination... per question), mistakes ranked,
    parts, part_distribution, notebooks."""
    import json
    from pathlib import Path

    from ..errors import XlcnnError
    from .statistics import frames

    path = Path(outdir)
    path = path / "results.json" if path.is_dir() else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise XlcnnError(f"{path}: not the results.json of xlcnn grade ({err})") from err
    return frames(data, data.get("reference"))
