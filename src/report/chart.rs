//! The reports' charts, drawn as SVG in memory with plotters (its SVG backend, no system-font
//! feature: text is written as SVG text in a CJK family and Typst sets it with the
//! document's own fonts).

use anyhow::{anyhow, Result};
use plotters::prelude::*;

/// Width and height of a chart in SVG units (set at the text width in the PDF).
const SIZE: (u32, u32) = (760, 330);

/// Colours of the series (print well in grey too).
const COLOURS: [RGBColor; 3] = [
    RGBColor(31, 78, 140),
    RGBColor(192, 80, 40),
    RGBColor(90, 140, 60),
];

/// How values are labelled on the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Counts.
    Count,
    /// Shares 0..1, shown as percentages.
    Percent,
    /// Index points (0..100).
    Points,
}

impl Scale {
    fn show(self, v: f64) -> String {
        match self {
            Scale::Count => format!("{v:.0}"),
            Scale::Percent => format!("{:.0}%", v * 100.0),
            Scale::Points => format!("{v:.0}"),
        }
    }

    fn show_exact(self, v: f64) -> String {
        match self {
            Scale::Count => format!("{v:.0}"),
            Scale::Percent => format!("{:.1}%", v * 100.0),
            Scale::Points => format!("{v:.1}"),
        }
    }
}

/// The category (0, 1, …) an axis position stands on, if it stands on one: categories sit at
/// whole numbers, and the axis asks for labels between them too.
fn category(x: f64) -> Option<usize> {
    let i = x.round();
    ((x - i).abs() < 1e-6 && i >= 0.0).then_some(i as usize)
}

fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart: {e}")
}

/// Lines over categories (months): one series per (name, values); a missing value breaks
/// the line. `marker` draws a dashed vertical line before the category at that index, with a
/// label (e.g. the pilot's start). Over more than twelve categories every other label (or
/// every third…) is shown, so that they do not run into each other. (Long: one plotters
/// drawing from axes to legend, in the order it is drawn.)
///
/// # Errors
/// When plotters fails (it does not on valid input).
pub fn lines(
    family: &str,
    labels: &[String],
    series: &[(String, Vec<Option<f64>>)],
    scale: Scale,
    marker: Option<(usize, &str)>,
) -> Result<String> {
    let values = series.iter().flat_map(|(_, v)| v.iter().flatten().copied());
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo > hi { (0.0, 1.0) } else { (lo, hi) };
    let pad = ((hi - lo) * 0.15).max(if scale == Scale::Percent { 0.02 } else { 1.0 });
    let y0 = if scale == Scale::Count {
        0.0
    } else {
        (lo - pad).max(0.0)
    };
    let y1 = if scale == Scale::Percent {
        (hi + pad).min(1.0)
    } else {
        hi + pad
    };
    let n = labels.len().max(1);
    let step = n.div_ceil(12).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(34)
            .y_label_area_size(58)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .x_labels(n)
            .x_label_formatter(&|x| match category(*x) {
                Some(i) if i.is_multiple_of(step) => labels.get(i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(6)
            .y_label_formatter(&|v| scale.show(*v))
            .label_style((family, 15))
            .axis_desc_style((family, 15))
            .draw()
            .map_err(err)?;
        if let Some((at, text)) = marker {
            let x = at as f64 - 0.5;
            let grey = RGBColor(120, 120, 120);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, y0), (x, y1)],
                    6,
                    4,
                    ShapeStyle::from(&grey).stroke_width(1),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    text.to_string(),
                    (x, y1),
                    TextStyle::from((family, 14)).color(&grey).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Left,
                            plotters::style::text_anchor::VPos::Top,
                        ),
                    ),
                )))
                .map_err(err)?;
        }
        for (k, (name, values)) in series.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            let style = ShapeStyle::from(&colour).stroke_width(2);
            // A gap in the data is a gap in the line.
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (i, v) in values.iter().enumerate() {
                match v {
                    Some(v) => runs
                        .last_mut()
                        .map(|r| r.push((i as f64, *v)))
                        .unwrap_or(()),
                    None => runs.push(Vec::new()),
                }
            }
            let mut first = true;
            for run in runs.into_iter().filter(|r| !r.is_empty()) {
                let drawn = chart
                    .draw_series(LineSeries::new(run.clone(), style))
                    .map_err(err)?;
                if first {
                    drawn
                        .label(name.as_str())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style));
                    first = false;
                }
                chart
                    .draw_series(run.iter().map(|p| Circle::new(*p, 3, colour.filled())))
                    .map_err(err)?;
            }
        }
        if series.len() > 1 {
            // The legend goes in the right-hand corner the lines leave free.
            let right: Vec<f64> = series
                .iter()
                .flat_map(|(_, v)| v.iter().skip(n * 2 / 3).flatten().copied())
                .collect();
            let high = !right.is_empty()
                && right.iter().sum::<f64>() / right.len() as f64 > (y0 + y1) / 2.0;
            chart
                .configure_series_labels()
                .position(if high {
                    SeriesLabelPosition::LowerRight
                } else {
                    SeriesLabelPosition::UpperRight
                })
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(160, 160, 160))
                .label_font((family, 15))
                .draw()
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Horizontal bars, one per (label, value), largest at the top, each with its value.
///
/// # Errors
/// When plotters fails (it does not on valid input).
pub fn bars(
    family: &str,
    bars: &[(String, f64)],
    scale: Scale,
    note: &dyn Fn(usize) -> String,
) -> Result<String> {
    let n = bars.len().max(1);
    let hi = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1e-9);
    let height = (n as u32 * 26 + 50).max(140);
    let longest = bars.iter().map(|b| b.0.chars().count()).max().unwrap_or(4) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size((longest * 15 + 16).min(320))
            .build_cartesian_2d(0.0..hi * 1.3, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .y_labels(n)
            .y_label_formatter(&|y| match category(*y) {
                // The first bar at the top.
                Some(i) if i < n => bars.get(n - 1 - i).map(|b| b.0.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .x_labels(6)
            .x_label_formatter(&|v| scale.show(*v))
            .label_style((family, 15))
            .draw()
            .map_err(err)?;
        let colour = COLOURS[0];
        chart
            .draw_series(bars.iter().enumerate().map(|(k, (_, v))| {
                let y = (n - 1 - k) as f64;
                Rectangle::new([(0.0, y - 0.32), (*v, y + 0.32)], colour.filled())
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(k, (_, v))| {
                let y = (n - 1 - k) as f64;
                let extra = note(k);
                let text = if extra.is_empty() {
                    scale.show_exact(*v)
                } else {
                    format!("{}（{extra}）", scale.show_exact(*v))
                };
                Text::new(
                    text,
                    (*v + hi * 0.015, y),
                    TextStyle::from((family, 14)).color(&BLACK).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Left,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    ),
                )
            }))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_carry_their_chinese_labels_as_text() {
        let labels: Vec<String> = ["23.11", "23.12", "24.01"].map(String::from).to_vec();
        let svg = lines(
            "Noto Sans CJK SC",
            &labels,
            &[
                ("试点单位".into(), vec![Some(0.9), None, Some(0.95)]),
                ("非试点单位".into(), vec![Some(0.8), Some(0.82), Some(0.85)]),
            ],
            Scale::Percent,
            Some((1, "试点开始")),
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("试点开始"));
        assert!(svg.contains("试点单位") && svg.contains("23.12"));
        assert!(svg.contains("font-family=\"Noto Sans CJK SC\""));
        let svg = bars(
            "Noto Sans CJK SC",
            &[("城市管理".into(), 120.0), ("市场监管".into(), 80.0)],
            Scale::Count,
            &|k| ["60.0%", "40.0%"][k].to_string(),
        )
        .unwrap();
        assert!(
            svg.contains("城市管理") && svg.contains("120（60.0%）"),
            "{svg}"
        );
    }
}
