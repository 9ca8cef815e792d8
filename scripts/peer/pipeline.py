"""The peer of `rexian` for scripts/bench-pipeline.sh (issue 15): what an analyst would write
with pandas, matplotlib and typst to turn the same monthly hotline extracts into the pilot
year's reports. It does less than rexian (no masking, no row checks, no ledger, no warehouse,
no lake), but it does the parts an analyst cannot skip, the way a competent one would:

- every CSV read with the columns as text, the two header spellings of the platform mapped
  to one, the files in order with a ticket's newest state (the latest file) kept;
- dates parsed with the two formats the exports use (fast paths, not per-value guessing);
- per month, quarter and the pilot year: the department table (诉求量, 办结率, 按期办结率,
  满意率) and a trend chart of the months (matplotlib, SVG);
- each report a Typst document compiled to PDF by the typst Python binding.

Usage: python pipeline.py EXTRACTS_DIR OUT_DIR
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import typst  # noqa: E402

# The platform's other header spellings, to the ones used here.
RENAME = {
    "来电时间": "受理时间",
    "诉求渠道": "受理渠道",
    "区县": "所属区县",
    "工单状态": "办理状态",
    "应办结时间（截止）": "办理时限",
    "二次办理": "重办",
    "来电人姓名": "来电人",
}
TIMES = ["受理时间", "派单时间", "签收时间", "办理时限", "办结时间", "回访时间"]
SATISFIED = {"满意", "非常满意", "基本满意", "比较满意"}
FONT = "Noto Sans CJK SC"


def read(extracts: Path) -> pd.DataFrame:
    frames = []
    for order, f in enumerate(sorted(extracts.glob("*.csv"))):
        df = pd.read_csv(f, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        df.columns = [c.strip() for c in df.columns]
        df = df.rename(columns=RENAME)
        df["_file"] = order
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    # A ticket still open at a month's end comes back in the next file: keep its newest state.
    df = df.drop_duplicates("工单编号", keep="last")
    for c in TIMES:
        s = df[c].str.strip()
        t = pd.to_datetime(s, format="%Y-%m-%d %H:%M:%S", errors="coerce")
        t = t.fillna(pd.to_datetime(s, format="%Y/%m/%d %H:%M", errors="coerce"))
        df[c] = t
    df["month"] = df["受理时间"].dt.to_period("M")
    df["closed"] = df["办结时间"].notna()
    df["on_time"] = df["closed"] & (df["办理时限"].isna() | (df["办结时间"] <= df["办理时限"]))
    df["visited"] = df["回访满意度"].ne("") & df["回访满意度"].ne("未回访")
    df["satisfied"] = df["回访满意度"].isin(SATISFIED)
    return df


def table(part: pd.DataFrame) -> pd.DataFrame:
    g = part.groupby("承办单位")
    t = pd.DataFrame(
        {
            "诉求量": g.size(),
            "办结": g["closed"].sum(),
            "按期办结": g["on_time"].sum(),
            "回访": g["visited"].sum(),
            "满意": g["satisfied"].sum(),
        }
    )
    t["办结率"] = t["办结"] / t["诉求量"]
    t["按期办结率"] = t["按期办结"] / t["办结"].where(t["办结"] > 0)
    t["满意率"] = t["满意"] / t["回访"].where(t["回访"] > 0)
    return t.sort_values(["诉求量", "按期办结率"], ascending=[False, False]).head(30)


def chart(part: pd.DataFrame, path: Path) -> None:
    m = part.groupby("month").agg(
        n=("工单编号", "size"), closed=("closed", "sum"), on_time=("on_time", "sum")
    )
    plt.rcParams["font.sans-serif"] = [FONT]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(m.index.astype(str), m["n"], color="#9bb7d4")
    ax.set_ylabel("诉求量")
    ax2 = ax.twinx()
    ax2.plot(m.index.astype(str), m["on_time"] / m["closed"], color="#c0392b", marker="o")
    ax2.set_ylabel("按期办结率")
    ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)


def pct(x: float) -> str:
    return "—" if pd.isna(x) else f"{100 * x:.1f}%"


def report(title: str, part: pd.DataFrame, trend: pd.DataFrame, out: Path, name: str) -> None:
    chart(trend, out / f"{name}.svg")
    t = table(part)
    rows = "\n".join(
        f'  [{dept}], [{int(r["诉求量"])}], [{pct(r["办结率"])}], [{pct(r["按期办结率"])}], [{pct(r["满意率"])}],'
        for dept, r in t.iterrows()
    )
    doc = f"""#set page(paper: "a4", margin: 2cm)
#set text(font: "{FONT}", size: 10pt, lang: "zh")
#align(center, text(16pt, weight: "bold")[{title}])
诉求 {len(part)} 件，办结率 {pct(part["closed"].mean())}，按期办结率 {pct(part["on_time"].sum() / max(part["closed"].sum(), 1))}。

#figure(image("{name}.svg", width: 100%), caption: [各月诉求量与按期办结率])

#table(
  columns: (1fr, auto, auto, auto, auto),
  table.header([承办单位], [诉求量], [办结率], [按期办结率], [满意率]),
{rows}
)
"""
    (out / f"{name}.typ").write_text(doc, encoding="utf-8")
    typst.compile(str(out / f"{name}.typ"), output=str(out / f"{name}.pdf"), root=str(out))


def main() -> None:
    extracts, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    df = read(extracts)
    months = sorted(df["month"].dropna().unique())
    for m in months:
        report(f"12345热线执法诉求月报 {m}", df[df["month"] == m], df[df["month"] <= m], out, f"monthly-{m}")
    quarters = df["month"].dt.asfreq("Q")
    for q in sorted(quarters.dropna().unique()):
        q_months = [m for m in months if m.asfreq("Q") == q]
        if len(q_months) < 3:
            continue  # only whole quarters get a quarterly report
        part = df[quarters == q]
        report(f"12345热线执法诉求季报 {q}", part, part, out, f"quarterly-{q}")
    report("试点年度总结", df, df, out, "pilot-year")
    print(f"peer: {len(df)} tickets, {len(list(out.glob('*.pdf')))} PDFs in {out}")


if __name__ == "__main__":
    main()
