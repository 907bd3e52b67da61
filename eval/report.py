"""Render an eval run: a text/Markdown table per mode, per query type, worst queries, a chart."""

from __future__ import annotations

from pathlib import Path

from eval.metrics import METRICS

_LABELS = {
    "hit@10": "Träff@10",
    "recall@5": "Recall@5",
    "recall@10": "Recall@10",
    "mrr@10": "MRR@10",
    "ndcg@10": "nDCG@10",
}


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _with_interval(value: float, interval) -> str:
    if not interval:
        return f"{value:.3f}"
    return f"{value:.3f} [{interval[0]:.2f}, {interval[1]:.2f}]"


def metrics_table(report: dict) -> list[str]:
    """Means per mode with their bootstrap 95 % interval in brackets."""
    lines = [_row(["Läge", *(_LABELS[m] for m in METRICS)]), _row(["---"] * (len(METRICS) + 1))]
    for mode, summary in report["modes"].items():
        intervals = summary.get("interval", {})
        lines.append(
            _row(
                [
                    mode,
                    *(_with_interval(summary["overall"][m], intervals.get(m)) for m in METRICS),
                ]
            )
        )
    return lines


def comparison_table(report: dict) -> list[str]:
    """Hybrid against each other mode, query by query: difference, its interval, p-value."""
    lines = [
        _row(["Jämförelse", "Mått", "Skillnad [95 % KI]", "p (randomisering)", "Frågor"]),
        _row(["---"] * 5),
    ]
    for name, metrics in report.get("comparisons", {}).items():
        for metric in ("hit@10", "recall@10", "mrr@10", "ndcg@10"):
            c = metrics[metric]
            low, high = c["interval"]
            lines.append(
                _row(
                    [
                        name,
                        _LABELS[metric],
                        f"{c['delta']:+.3f} [{low:+.3f}, {high:+.3f}]",
                        f"{c['p_value']:.4f}",
                        c["queries"],
                    ]
                )
            )
    return lines


def type_table(report: dict, mode: str, grouping: str = "by_type") -> list[str]:
    lines = [
        _row(["Frågetyp", "Antal", *(_LABELS[m] for m in METRICS)]),
        _row(["---"] * (len(METRICS) + 2)),
    ]
    for kind, scores in report["modes"][mode][grouping].items():
        lines.append(_row([kind, scores["queries"], *(f"{scores[m]:.3f}" for m in METRICS)]))
    return lines


def markdown(report: dict, worst: list[dict] | None = None, comparison: dict | None = None) -> str:
    lines = [
        "# Utvärdering av sökningen",
        "",
        f"{report['queries']} frågor (del: {report.get('split', 'all')}) · embedder "
        f"{report['embedder']} · "
        f"chunk_size {report['chunking'].get('chunk_size')} · fusion {report['fusion']['method']}"
        f" · {report['created']}",
        "",
        "## Per sökläge (medel [bootstrap 95 % KI])",
        "",
        *metrics_table(report),
    ]
    if report.get("comparisons"):
        lines += ["", "## Hybrid mot de andra, parvis per fråga", "", *comparison_table(report)]
    for mode in report["modes"]:
        lines += ["", f"## Per frågetyp ({mode})", "", *type_table(report, mode)]
    if "hybrid" in report["modes"] and report["modes"]["hybrid"].get("by_mention"):
        lines += ["", "## Efter vad frågan nämner (hybrid)", ""]
        lines += type_table(report, "hybrid", "by_mention")
    if comparison:
        lines += ["", "## Jämförelse med sparad körning", ""]
        lines.append(_row(["Läge", "Mått", "Nu", "Sparad", "Skillnad", "p (randomisering)"]))
        lines.append(_row(["---"] * 6))
        for mode, metrics in comparison.items():
            for metric, c in metrics.items():
                lines.append(
                    _row(
                        [
                            mode,
                            _LABELS[metric],
                            f"{c['now']:.3f}",
                            f"{c['saved']:.3f}",
                            f"{c['delta']:+.3f}",
                            f"{c['p_value']:.4f}",
                        ]
                    )
                )
    if worst:
        lines += ["", "## De tio sämsta frågorna (hybrid)", ""]
        for item in worst:
            lines.append(f"- **{item['id']}** “{item['query']}” (nDCG@10 {item['ndcg@10']:.3f})")
            lines += [f"  - fick: {g}" for g in item["got"]]
            lines += [f"  - sökt: {w}" for w in item["wanted"]]
    if report["unmatched_evidence"]:
        lines += ["", "## Bevisavsnitt som inte hittades i någon chunk", ""]
        lines += [
            f"- {u['id']} ({u['document']}): {u['evidence'][:100]}"
            for u in report["unmatched_evidence"]
        ]
    return "\n".join(lines) + "\n"


def chart(report: dict, path: Path) -> Path:
    """A grouped bar chart of the metrics per mode, as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modes = list(report["modes"])
    metrics = list(METRICS)
    width = 0.8 / len(modes)
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    for i, mode in enumerate(modes):
        values = [report["modes"][mode]["overall"][m] for m in metrics]
        positions = [x + i * width for x in range(len(metrics))]
        bars = ax.bar(positions, values, width, label=mode)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_xticks([x + width * (len(modes) - 1) / 2 for x in range(len(metrics))])
    ax.set_xticklabels([_LABELS[m] for m in metrics])
    ax.set_ylim(0, 1.05)
    ax.set_title(f"revsok: {report['queries']} frågor")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
