//! The market's price chart as a PNG (plotters on an in-memory bitmap, encoded with `png`).
//! The font is DejaVu Sans, embedded in the binary (the `dejavu` crate), so a machine without
//! any system fonts draws the same picture. Floats appear here only as pixel coordinates of a
//! picture; every price shown in words comes from the engine's integers.

use std::sync::OnceLock;

use allspark_engine::market::tuning::MICRO;
use allspark_engine::market::PricePoint;
use plotters::prelude::*;

pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 400;

const BACKGROUND: RGBColor = RGBColor(22, 24, 31);
const GRID: RGBColor = RGBColor(52, 56, 68);
const TEXT: RGBColor = RGBColor(200, 204, 214);
const UP: RGBColor = RGBColor(64, 214, 140);
const DOWN: RGBColor = RGBColor(240, 88, 80);

/// Registers the embedded font once; `false` if it could not be (then text is left out).
pub(crate) fn font_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
            .is_ok()
    })
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart failed: {0}")]
    Encode(#[from] png::EncodingError),
}

/// The price over `points` (oldest first) as an 800×400 PNG; `title` is drawn above. One
/// point or none still draws (a flat line, or an empty frame).
pub fn price_chart(points: &[PricePoint], title: &str) -> Result<Vec<u8>, ChartError> {
    let draw = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    let text = font_ready();
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&BACKGROUND).map_err(|e| draw(&e))?;
        let energon = |p: &PricePoint| p.price as f64 / MICRO as f64;
        let (first, last) = match (points.first(), points.last()) {
            (Some(first), Some(last)) => (first.at.0, last.at.0.max(first.at.0 + 1)),
            _ => (0, 1),
        };
        let low = points.iter().map(energon).fold(f64::INFINITY, f64::min);
        let high = points.iter().map(energon).fold(f64::NEG_INFINITY, f64::max);
        let (low, high) = if low.is_finite() && high.is_finite() {
            let pad = ((high - low) * 0.08).max(high.abs() * 0.01).max(0.01);
            ((low - pad).max(0.0), high + pad)
        } else {
            (0.0, 1.0)
        };
        let mut builder = ChartBuilder::on(&root);
        builder
            .margin(14)
            .x_label_area_size(if text { 30 } else { 0 })
            .y_label_area_size(if text { 70 } else { 0 });
        if text {
            builder.caption(title, ("sans-serif", 22).into_font().color(&TEXT));
        }
        let mut chart = builder
            .build_cartesian_2d(first..last, low..high)
            .map_err(|e| draw(&e))?;
        let span_ms = last - first;
        let x_label = |ms: &i64| axis_time(*ms, span_ms);
        let y_label = |price: &f64| format!("{price:.2}");
        let mut mesh = chart.configure_mesh();
        mesh.axis_style(GRID)
            .bold_line_style(GRID)
            .light_line_style(BACKGROUND)
            .x_labels(6)
            .y_labels(6);
        if text {
            mesh.label_style(("sans-serif", 14).into_font().color(&TEXT))
                .x_label_formatter(&x_label)
                .y_label_formatter(&y_label);
        } else {
            mesh.disable_x_axis().disable_y_axis();
        }
        mesh.draw().map_err(|e| draw(&e))?;
        let rising = match (points.first(), points.last()) {
            (Some(first), Some(last)) => last.price >= first.price,
            _ => true,
        };
        let colour = if rising { UP } else { DOWN };
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.at.0, energon(p))),
                colour.stroke_width(2),
            ))
            .map_err(|e| draw(&e))?;
        root.present().map_err(|e| draw(&e))?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

/// An RGB bitmap of `width` × `height` as PNG bytes: every picture the bot draws (the
/// market's chart, the arena's map) is encoded here.
pub(crate) fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut png_bytes = Vec::with_capacity(64 * 1024);
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(png_bytes)
}

/// An axis label: the hour for a day's span, the day beyond.
fn axis_time(ms: i64, span_ms: i64) -> String {
    let Some(at) = chrono::DateTime::from_timestamp_millis(ms) else {
        return String::new();
    };
    if span_ms <= 36 * 3_600_000 {
        at.format("%H:%M").to_string()
    } else {
        at.format("%d %b").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use allspark_engine::Timestamp;

    fn points(n: u64) -> Vec<PricePoint> {
        (0..n)
            .map(|i| PricePoint {
                tick: i,
                at: Timestamp(1_767_225_600_000 + i as i64 * 3_600_000),
                price: 100 * MICRO + (i % 17) * MICRO / 3,
                volume: 0,
            })
            .collect()
    }

    #[test]
    fn a_chart_is_a_png_of_its_size_whatever_the_points() {
        for n in [0, 1, 2, 720] {
            let bytes = price_chart(&points(n), "CyberCoin · 30 d").unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
            let reader = decoder.read_info().unwrap();
            assert_eq!(
                (reader.info().width, reader.info().height),
                (WIDTH, HEIGHT),
                "{n} points"
            );
        }
    }

    #[test]
    fn the_embedded_font_draws_text() {
        // The font comes from the binary, never from the system.
        assert!(font_ready());
        let with_title = price_chart(&points(5), "A title").unwrap();
        let other_title = price_chart(&points(5), "Another, longer title").unwrap();
        assert_ne!(with_title, other_title);
    }
}
