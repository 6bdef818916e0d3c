//! Reading an input file's bytes into text: UTF-8 (with or without BOM) or GB18030/GBK.

use crate::pipeline::Encoding;
use std::borrow::Cow;

/// The encoding a file was actually read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    Utf8Bom,
    Utf8,
    Gb18030,
}

impl Detected {
    pub fn as_str(self) -> &'static str {
        match self {
            Detected::Utf8Bom => "UTF-8 (BOM)",
            Detected::Utf8 => "UTF-8",
            Detected::Gb18030 => "GB18030",
        }
    }
}

/// Decoded text, the encoding used, and whether undecodable bytes were replaced by U+FFFD
/// (rows containing them are rejected as BAD_ENCODING, never silently repaired).
pub fn decode(bytes: &[u8], wanted: Encoding) -> (Cow<'_, str>, Detected, bool) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    fn utf8(b: &[u8], d: Detected) -> (Cow<'_, str>, Detected, bool) {
        match std::str::from_utf8(b) {
            Ok(s) => (Cow::Borrowed(s), d, false),
            Err(_) => (String::from_utf8_lossy(b), d, true),
        }
    }
    match wanted {
        Encoding::Utf8 => match bytes.strip_prefix(BOM) {
            Some(rest) => utf8(rest, Detected::Utf8Bom),
            None => utf8(bytes, Detected::Utf8),
        },
        Encoding::Gb18030 => gb18030(bytes),
        Encoding::Auto => {
            if let Some(rest) = bytes.strip_prefix(BOM) {
                utf8(rest, Detected::Utf8Bom)
            } else if let Ok(s) = std::str::from_utf8(bytes) {
                (Cow::Borrowed(s), Detected::Utf8, false)
            } else if mostly_utf8(bytes) {
                // a UTF-8 file with a few stray bytes: read as UTF-8, the rows holding them
                // rejected (BAD_ENCODING); decoding it as GB18030 would garble its names into
                // rows that pass (GB18030 takes almost any byte pair)
                utf8(bytes, Detected::Utf8)
            } else {
                gb18030(bytes)
            }
        }
    }
}

/// Whether bytes that are not all valid UTF-8 are still UTF-8 text with some bad bytes: at
/// least 8 well-formed multi-byte characters and four times as many as malformed sequences.
/// GBK/GB18030 Chinese text read as UTF-8 is mostly malformed: about half of GBK's lead bytes
/// (0x81–0xC1) cannot start a UTF-8 character, and the demo registers in GBK give about one
/// accidental well-formed character per six malformed sequences; a file of a few characters
/// can be well-formed by chance (“卢鹿” in GBK is “¬¹”), hence the floor. Below it, or with
/// stray bytes denser than one per four characters, the file is read as GB18030.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let ok = &rest[..e.valid_up_to()];
                good += ok.iter().filter(|&&b| b >= 0xC0).count();
                bad += 1;
                match e.error_len() {
                    Some(n) => rest = &rest[e.valid_up_to() + n..],
                    None => break,
                }
            }
        }
    }
    good >= 8 && good >= 4 * bad
}

fn gb18030(bytes: &[u8]) -> (Cow<'_, str>, Detected, bool) {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (text, Detected::Gb18030, had_errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("身份证号,姓名\n");
        let (text, d, bad) = decode(&gbk, Encoding::Auto);
        assert_eq!(text, "身份证号,姓名\n");
        assert_eq!(d, Detected::Gb18030);
        assert!(!bad);
    }

    #[test]
    fn strips_bom_and_keeps_utf8() {
        let (text, d, _) = decode("\u{FEFF}姓名\n".as_bytes(), Encoding::Auto);
        assert_eq!(text, "姓名\n");
        assert_eq!(d, Detected::Utf8Bom);
        let (_, d, _) = decode("姓名\n".as_bytes(), Encoding::Auto);
        assert_eq!(d, Detected::Utf8);
    }

    #[test]
    fn utf8_with_one_stray_byte_stays_utf8() {
        // a register of well-formed Chinese names and one Latin-1 byte → UTF-8, the bad byte
        // flagged (its row rejected), the names intact
        let names = "陈丽,张伟,王芳,李娜,刘洋,杨敏,赵静,黄磊,周杰,吴昊,徐婷,孙强,马丽,朱军,胡斌,郭涛,何平,高峰,林琳,罗勇\n";
        let mut b = names.as_bytes().to_vec();
        b.extend_from_slice(b"Jos");
        b.push(0xE9);
        b.push(b'\n');
        let (text, d, bad) = decode(&b, Encoding::Auto);
        assert_eq!(d, Detected::Utf8);
        assert!(bad);
        assert_eq!(text, format!("{names}Jos\u{FFFD}\n"));
        // a short GBK file that happens to hold a well-formed UTF-8 pair (卢鹿) stays GB18030
        let (short, _, _) = encoding_rs::GBK.encode("person_id,name\n1,卢鹿\n2,钮杨氮\n");
        assert_eq!(decode(&short, Encoding::Auto).1, Detected::Gb18030);
        // a short UTF-8 file with two stray bytes stays UTF-8 (10 well-formed characters, 2
        // malformed sequences)
        let mut two = "陈丽,张伟\n王芳,李娜\n刘洋\n".as_bytes().to_vec();
        two.extend_from_slice(b"Jos\xE9\nRen\xE9e\n");
        let (text, d, bad) = decode(&two, Encoding::Auto);
        assert_eq!((d, bad), (Detected::Utf8, true));
        assert!(text.starts_with("陈丽,张伟\n王芳,李娜\n刘洋\n"));
        // the same names in GBK are read as GB18030
        let (gbk, _, _) = encoding_rs::GBK.encode("陈丽,José,张伟\n");
        assert_eq!(decode(&gbk, Encoding::Auto).1, Detected::Gb18030);
    }

    #[test]
    fn forced_utf8_flags_bad_bytes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名");
        let (_, _, bad) = decode(&gbk, Encoding::Utf8);
        assert!(bad);
    }
}
