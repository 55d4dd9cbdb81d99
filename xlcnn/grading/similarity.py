"""Pairs of submissions worth a look (never accusations): shared rare wrong answers, identical
answers, document metadata that the rest of the class does not share."""

from __future__ import annotations

from ..workbook.verdict import Answer
from .record import Record, Similarity


def _answers(rec: Record) -> dict[str, tuple[str, str]]:
    return {q.id: (q.status, q.given) for q in rec.report.questions} if rec.report else {}


MAX_PAIRS = 25  # the pairs worth a look; a longer list is one nobody reads
METADATA = (("creator", "created by"), ("last_modified_by", "last saved by"), ("created", "created at"))


def similar(records: list[Record]) -> list[Similarity]:
    """Pairs worth a look (not accusations), most telling first.

    Two submissions are worth a look when they share wrong answers that few others gave (the
    rarer the shared wrong answer, the more it counts: an identical slip is telling, a common
    mistake is not), or document metadata that neither the template nor most of the class
    shares (copies of the handed-out file keep the teacher's creator and creation time: that
    proves nothing)."""
    graded = [r for r in records if r.report is not None]
    if len(graded) < 2:
        return []
    labels = {q.id: q.label for r in graded for q in r.report.questions}
    answers = {r.key: _answers(r) for r in graded}
    wrong_counts: dict[tuple[str, str], int] = {}
    for a in answers.values():
        for qid, (status, given) in a.items():
            if status is Answer.WRONG and given:
                wrong_counts[(qid, given)] = wrong_counts.get((qid, given), 0) + 1
    common = _template_metadata()
    for key, _ in METADATA:
        counts: dict[str, int] = {}
        for r in graded:
            value = r.metadata.get(key, "")
            if value:
                counts[value] = counts.get(value, 0) + 1
        common |= {v for v, n in counts.items() if n * 2 > len(graded)}  # most of the class: the template's
    scored = []
    for i, a in enumerate(graded):
        for b in graded[i + 1:]:
            aa, bb = answers[a.key], answers[b.key]
            shared = sorted(((wrong_counts[(q, aa[q][1])], q) for q in aa
                             if aa[q][0] is Answer.WRONG and aa[q][1] and bb.get(q) == aa[q]),
                            key=lambda t: (t[0], t[1]))
            rare = [(n, q) for n, q in shared if n <= max(2, len(graded) // 10)]
            score, reasons = 0.0, []
            if rare:
                score += sum(len(graded) / n for n, _ in rare)
                words = [f"{labels.get(q, q)} ({aa[q][1]}; " + ("no other submission" if n == 2 else f"{n - 2} other")
                         + (" gave it)" if n == 2 else f"{'s' if n > 3 else ''} gave it)") for n, q in rare]
                reasons.append("the same wrong answer" + ("s" if len(rare) > 1 else "") + ": " + "; ".join(words))
            if aa == bb and any(g for _, g in aa.values()) and shared:
                score += len(graded)
                reasons.append("every answer identical, right and wrong")
            for key, label in METADATA:
                va, vb = a.metadata.get(key, ""), b.metadata.get(key, "")
                if va and va == vb and va not in common:
                    score += len(graded) / 2
                    reasons.append(f"the same document metadata ({label} {va}), "
                                   "which the rest of the class does not have")
            if reasons:
                scored.append((-score, a.name, b.name, "; ".join(reasons)))
    scored.sort()
    return [Similarity(a, b, reason) for _, a, b, reason in scored[:MAX_PAIRS]]


def _template_metadata() -> set[str]:
    """Metadata values every copy of an xlcnn template shares (they prove nothing)."""
    from ..files.xlsx_values import FIXED_TIME

    return {"openpyxl", "xlcnn", FIXED_TIME.replace("Z", ""), FIXED_TIME, "2024-01-01T00:00:00"}
