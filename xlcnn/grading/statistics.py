"""What the class teaches the teacher: item analysis, mistakes ranked, parts and notebooks, as
pandas DataFrames computed from the grading records (``results.json``'s submissions). No I/O.

Item analysis follows Moodle's own quiz statistics (``question/classes/statistics/questions/
calculator.php``), over the submissions that have points for the question:

* **facility index** — mean points / max points;
* **standard deviation** — of the points, sample (n - 1), as a fraction of max points;
* **discrimination index** — 100 x the correlation of the question's points with the rest of the
  score (the total less this question), sample covariances;
* **discriminative efficiency** — 100 x that covariance / the largest covariance the same points
  could have (both lists sorted), i.e. how much of the possible discrimination the question reaches.

Each question gets a verdict in words: too easy (facility 90 % or more), too hard (10 % or less),
not discriminating (index under 20 %, or no spread to tell), weak (20-29), adequate (30-49),
very good (50 and more).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..notebook.practical import Practical, load_practical

EASY, HARD = 0.90, 0.10  # facility at or beyond which a question separates no one
WEAK, ADEQUATE, GOOD = 20.0, 30.0, 50.0  # discrimination index (%) thresholds, as Moodle's docs grade them


def part_of(qid: str) -> str:
    return qid.split(".", 1)[0]


def answers_frame(submissions: list[dict]) -> pd.DataFrame:
    """One row per submission x question: submission, question, label, part, points, max, status,
    mistakes (the names of the mistakes recognised, "; "-joined). Only submissions that were assessed."""
    rows = []
    for s in submissions:
        questions = {q["id"]: q for q in s.get("questions", [])}
        points = s.get("points", {})
        order = [q for q in questions if q in points] + [q for q in points if q not in questions]
        for qid in order:  # the workbook's order, the notebook's items after
            pts = points[qid]
            q = questions.get(qid, {})
            mistakes = [d.split(":")[0] for d in s.get("diagnoses", {}).get(qid, [])]
            rows.append({"submission": s["name"], "question": qid, "label": q.get("label", qid), "part": part_of(qid),
                         "points": pts, "max": s.get("max_points", {}).get(qid), "status": q.get("status", ""),
                         "mistakes": "; ".join(mistakes)})
    columns = ["submission", "question", "label", "part", "points", "max", "status", "mistakes"]
    return pd.DataFrame(rows, columns=columns)


def _verdict(n: int, facility: float | None, discrimination: float | None) -> str:
    if n < 2 or facility is None:
        return "too few answers to judge"
    if facility >= EASY:
        return f"too easy: {facility:.0%} of its points were scored"
    if facility <= HARD:
        return f"too hard: {facility:.0%} of its points were scored"
    if discrimination is None:
        return "not discriminating: every submission scored the same"
    if discrimination < 0:
        return f"not discriminating: the weaker submissions did better on it (index {discrimination:.0f}%)"
    if discrimination < WEAK:
        return f"not discriminating: index {discrimination:.0f}% (under {WEAK:.0f}%)"
    if discrimination < ADEQUATE:
        return f"weak: index {discrimination:.0f}%"
    if discrimination < GOOD:
        return f"adequate: index {discrimination:.0f}%"
    return f"very good: index {discrimination:.0f}%"


def item_statistics(answers: pd.DataFrame) -> pd.DataFrame:
    """Per question (in the order of the answers): n, facility, sd, discrimination, efficiency, verdict.
    Facility and sd are fractions (0..1) of the question's max; discrimination and efficiency are
    percentages (None where the points do not vary)."""
    scored = answers.dropna(subset=["points"])
    totals = scored.groupby("submission")["points"].sum()
    out = []
    for qid, block in scored.groupby("question", sort=False):
        marks = block.set_index("submission")["points"].astype(float)
        others = totals.loc[marks.index].astype(float) - marks
        n = len(marks)
        most = float(block["max"].max() or 0)
        facility = marks.mean() / most if most and n else None
        sd = dis = eff = None
        if n > 1:
            dm, do = marks - marks.mean(), others - others.mean()
            var_m, var_o = (dm ** 2).sum() / (n - 1), (do ** 2).sum() / (n - 1)
            cov = (dm * do).sum() / (n - 1)
            sd = math.sqrt(var_m) / most if most else None
            if var_m * var_o > 1e-12:
                dis = 100 * cov / math.sqrt(var_m * var_o)
            sm = sorted(marks - marks.mean())
            so = sorted(others - others.mean())
            cov_max = sum(a * b for a, b in zip(sm, so, strict=False)) / (n - 1)
            if abs(cov_max) > 1e-12:
                eff = 100 * cov / cov_max
        out.append({"question": qid, "label": block["label"].iloc[0], "part": block["part"].iloc[0], "n": n,
                    "max": most, "mean": float(marks.mean()) if n else None, "facility": facility, "sd": sd,
                    "discrimination": dis, "efficiency": eff, "verdict": _verdict(n, facility, dis)})
    columns = ["question", "label", "part", "n", "max", "mean", "facility", "sd", "discrimination", "efficiency",
               "verdict"]
    return pd.DataFrame(out, columns=columns)


def mistakes_ranked(answers: pd.DataFrame) -> pd.DataFrame:
    """Each mistake recognised: how many submissions made it, and on which questions; most frequent first."""
    rows = []
    for _, r in answers.iterrows():
        for m in filter(None, (x.strip() for x in str(r["mistakes"] or "").split(";"))):
            rows.append({"mistake": m, "submission": r["submission"], "label": r["label"]})
    if not rows:
        return pd.DataFrame(columns=["mistake", "submissions", "questions"])
    frame = pd.DataFrame(rows)
    ranked = frame.groupby("mistake").agg(submissions=("submission", "nunique"),
                                          questions=("label", lambda s: "; ".join(dict.fromkeys(s))))
    return ranked.sort_values(["submissions"], ascending=False, kind="stable").reset_index()


def parts_frame(answers: pd.DataFrame) -> pd.DataFrame:
    """Points per submission and part (a, b, notebook), with the part's max: one row per submission."""
    if answers.empty:
        return pd.DataFrame(columns=["submission"])
    points = answers.pivot_table(index="submission", columns="part", values="points", aggfunc="sum", sort=False)
    return points.reset_index()


def part_distribution(answers: pd.DataFrame) -> pd.DataFrame:
    """Per part: submissions, mean, median, min, max points and the part's maximum."""
    rows = []
    if answers.empty:
        return pd.DataFrame(columns=["part", "submissions", "mean", "median", "min", "max", "out_of"])
    maxima = answers.groupby(["part", "question"])["max"].max().groupby("part").sum()
    for part, pts in parts_frame(answers).drop(columns="submission").items():
        pts = pts.dropna()
        rows.append({"part": part, "submissions": len(pts), "mean": pts.mean(), "median": pts.median(),
                     "min": pts.min(), "max": pts.max(), "out_of": float(maxima.get(part, float("nan")))})
    return pd.DataFrame(rows)


def notebooks_frame(submissions: list[dict], reference: list[dict] | None = None) -> pd.DataFrame:
    """One row per notebook read: the checklist and the best CNN's train and test accuracy (%), beside
    the instructor's best CNN test accuracy when ``reference`` (xlcnn results' Table 1) is given."""
    ref = max((float(x["test"]) for x in reference or [] if "CONV" in str(x.get("architecture", "")).upper()
               and isinstance(x.get("test"), (int, float))), default=None)
    rows = []
    for s in submissions:
        nb = s.get("notebook")
        if not nb:
            continue
        cnns = [e for e in nb.get("experiments", []) if e["kind"] == "cnn" and e.get("test_accuracy") is not None]
        best = max(cnns, key=lambda e: e["test_accuracy"], default=None)
        row = {"submission": s["name"], "status": nb["status"], **nb.get("checklist", {}),
               "models": len(nb.get("experiments", [])),
               "best_cnn_train": None if best is None or best.get("train_accuracy") is None
               else 100 * best["train_accuracy"],
               "best_cnn_test": None if best is None else 100 * best["test_accuracy"]}
        if ref is not None:
            row["reference_best_cnn_test"] = ref
        rows.append(row)
    return pd.DataFrame(rows)


def checklist_distribution(notebooks: pd.DataFrame, practical: Practical | None = None) -> pd.DataFrame:
    """Per checklist item of the practical: how many notebooks have it (for the counts: as many as
    asked, e.g. at least 3 deeper CNNs, all 8 review answers), and the mean count."""
    practical = practical or load_practical()
    rows = []
    for part in practical.parts:
        item = part.id
        if item not in notebooks:
            continue
        values = notebooks[item].astype(float)
        done = values >= (len(practical.questions) if part.review else part.count[0] if part.count else 1)
        rows.append({"item": item, "notebooks": len(values), "done": int(done.sum()),
                     "mean": float(values.mean()) if len(values) else None})
    return pd.DataFrame(rows, columns=["item", "notebooks", "done", "mean"])


def frames(data: dict, reference: list[dict] | None = None) -> dict[str, pd.DataFrame]:
    """Every frame of a graded class (``results.json`` as a dict): answers (tidy), items, mistakes,
    parts, part_distribution, notebooks."""
    subs = data.get("submissions", [])
    answers = answers_frame(subs)
    notebooks = notebooks_frame(subs, reference)
    return {"answers": answers, "items": item_statistics(answers), "mistakes": mistakes_ranked(answers),
            "parts": parts_frame(answers), "part_distribution": part_distribution(answers),
            "notebooks": notebooks, "checklist": checklist_distribution(notebooks, practical_of(data))}


def practical_of(data: dict) -> Practical:
    """The practical a graded class was read against (results.json's ``practical``: the file given to
    `xlcnn grade --practical`, else the shipped one)."""
    source = data.get("practical")
    if isinstance(source, str) and source and Path(source).is_file():
        return load_practical(source)
    return load_practical()
