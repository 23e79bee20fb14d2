//! Small helpers shared by the commands: running processes, paths, test-summary counting.

use std::env;
use std::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// A failure that carries the exit code the xtask process should end with
/// (e.g. node's exit status for `cargo xtask e2e`).
#[derive(Debug)]
pub struct ExitCodeError {
    pub code: u8,
    pub message: String,
}

impl fmt::Display for ExitCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for ExitCodeError {}

/// The repository root (the parent of this crate's directory).
///
/// `cargo run` sets `CARGO_MANIFEST_DIR` for the process, and that wins over the path baked in at
/// compile time: with a build cache shared between clones (CI), cargo may reuse an xtask binary
/// built in another clone, whose baked-in path would point at that clone's (older) code.
pub fn repo_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest
        .parent()
        .map_or_else(|| manifest.clone(), Path::to_path_buf)
}

/// Prints a section heading.
pub fn step(msg: &str) {
    println!("\n==> {msg}");
    flush();
}

/// Prints an indented note.
pub fn note(msg: &str) {
    println!("    {msg}");
    flush();
}

pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// `cargo` (the one that runs us, when known), in the repository root.
pub fn cargo() -> Command {
    let program = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(program);
    cmd.current_dir(repo_root());
    cmd
}

/// A command run in the repository root.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(repo_root());
    cmd
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    if let Some(name) = Path::new(&s).file_name() {
        s = name.to_string_lossy().into_owned();
    }
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(' ') {
            s.push_str(&format!(" '{arg}'"));
        } else {
            s.push(' ');
            s.push_str(&arg);
        }
    }
    s
}

/// Runs a command with inherited stdio; fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result {
    let desc = describe(cmd);
    println!("$ {desc}");
    flush();
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{desc}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{desc}` failed ({status})").into())
    }
}

/// Runs a command, printing its stdout line by line as it comes and feeding each line to
/// `counts`; stderr is inherited. Fails unless it exits with 0.
pub fn run_counting(cmd: &mut Command, counts: &mut TestCounts) -> Result {
    let desc = describe(cmd);
    println!("$ {desc}");
    flush();
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{desc}`: {e}"))?;
    if let Some(out) = child.stdout.take() {
        let mut stdout = std::io::stdout();
        for line in BufReader::new(out).split(b'\n') {
            let line = line?;
            let text = String::from_utf8_lossy(&line);
            counts.feed(&text);
            let _ = stdout.write_all(&line);
            let _ = stdout.write_all(b"\n");
            let _ = stdout.flush();
        }
    }
    let status = child.wait()?;
    if status.success() {
        Ok(())
    } else {
        let code = status.code().unwrap_or(1).clamp(1, 255);
        Err(Box::new(ExitCodeError {
            code: u8::try_from(code).unwrap_or(1),
            message: format!("`{desc}` failed ({status})"),
        }))
    }
}

/// Runs a command and returns its stdout (stderr is inherited).
pub fn output(cmd: &mut Command) -> Result<Vec<u8>> {
    let desc = describe(cmd);
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start `{desc}`: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!("`{desc}` failed ({})", out.status).into())
    }
}

/// Looks a program up on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Whether this process runs as root (reads /proc/self/status, Linux only).
pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// The cargo target directory: `CARGO_TARGET_DIR`, else what `cargo metadata` says.
pub fn target_dir() -> Result<PathBuf> {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return Ok(if dir.is_absolute() {
            dir
        } else {
            repo_root().join(dir)
        });
    }
    let out = output(cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    let json = String::from_utf8(out)?;
    json_string_field(&json, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| "`cargo metadata` printed no target_directory".into())
}

/// The value of the first `"key":"…"` string field in a JSON text (enough for cargo metadata).
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\":\"");
    let start = json.find(&needle)? + needle.len();
    let mut value = String::new();
    let mut chars = json[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'b' => value.push('\u{8}'),
                'f' => value.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            other => value.push(other),
        }
    }
    None
}

/// Copies a directory tree (files and folders; symlinks are followed).
pub fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst)
                .map_err(|e| format!("copying {} to {}: {e}", src.display(), dst.display()))?;
        }
    }
    Ok(())
}

/// The last `n` lines of a text file (for showing a server log on failure).
pub fn tail(path: &Path, n: usize) -> String {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("(could not read {}: {e})", path.display()),
    }
}

/// Counts of tests seen in runners' closing lines: cargo's `test result: …` and node's
/// `ℹ pass N` / `ℹ fail N` / `ℹ skipped N` / `ℹ todo N` (spec reporter) or `# pass N` (TAP).
#[derive(Debug, Default, Clone, Copy)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    /// Whether any closing line was seen at all.
    pub seen: bool,
}

impl TestCounts {
    pub fn feed(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result:") {
            // test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; …
            self.seen = true;
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(what)) = (words.next(), words.next())
                    && let Ok(n) = n.parse::<u64>()
                {
                    match what {
                        "passed" => self.passed += n,
                        "failed" => self.failed += n,
                        "ignored" => self.skipped += n,
                        _ => {}
                    }
                }
            }
            return;
        }
        let rest = line
            .strip_prefix('ℹ')
            .or_else(|| line.strip_prefix('#'))
            .map(str::trim);
        if let Some(rest) = rest {
            let mut words = rest.split_whitespace();
            if let (Some(what), Some(n), None) = (words.next(), words.next(), words.next())
                && let Ok(n) = n.parse::<u64>()
            {
                match what {
                    "pass" => {
                        self.seen = true;
                        self.passed += n;
                    }
                    "fail" => self.failed += n,
                    "skipped" | "todo" => self.skipped += n,
                    _ => {}
                }
            }
        }
    }

    pub fn add(&mut self, other: TestCounts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.seen |= other.seen;
    }

    pub fn line(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cargo_and_node_lines() {
        let mut c = TestCounts::default();
        c.feed("test result: ok. 12 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        c.feed("test result: FAILED. 1 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s");
        c.feed("ℹ tests 6");
        c.feed("ℹ pass 5");
        c.feed("ℹ fail 1");
        c.feed("ℹ skipped 0");
        c.feed("ℹ duration_ms 1234.5");
        assert!(c.seen);
        assert_eq!((c.passed, c.failed, c.skipped), (18, 4, 2));
    }

    #[test]
    fn reads_target_directory() {
        let json = r#"{"packages":[],"target_directory":"/work/tar\"get","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some("/work/tar\"get")
        );
    }
}
