//! Writes sample PDFs to a folder and times the renders:
//! `cargo run -p tejian-documents --example preview -- /tmp/docs [notice-problems]`.

use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/tejian-documents".to_owned()),
    );
    let problems: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(3);
    std::fs::create_dir_all(&dir)?;

    let started = Instant::now();
    let configured = std::env::var_os("TEJIAN_CJK_FONT").map(PathBuf::from);
    let fonts = tejian_documents::Fonts::load(configured.as_deref())?;
    println!("fonts loaded in {:?}: {fonts:?}", started.elapsed());

    let report = tejian_documents::samples::report();
    for round in 1..=3 {
        let started = Instant::now();
        let pdf = tejian_documents::render_report(&fonts, &report)?;
        println!(
            "report render #{round}: {:?}, {} bytes",
            started.elapsed(),
            pdf.len()
        );
        std::fs::write(dir.join("report.pdf"), &pdf)?;
    }
    let started = Instant::now();
    let pdf =
        tejian_documents::render_notice(&fonts, &tejian_documents::samples::notice(problems))?;
    println!(
        "notice render ({problems} problems): {:?}, {} bytes",
        started.elapsed(),
        pdf.len()
    );
    std::fs::write(dir.join("notice.pdf"), &pdf)?;
    Ok(())
}
