//! Bulk inserts whose texts sqlite reads in place.
//!
//! rusqlite binds every text with `SQLITE_TRANSIENT`: sqlite allocates and copies each one
//! before the statement runs, and copies it again into the row it writes. A run records some
//! 1.4M texts (136k lines of ten texts on the 1M-person city with loans), and the first copy
//! with its allocation was a third of the ledger's insert time. Here the texts are bound
//! `SQLITE_STATIC` — sqlite reads them where they lie — which is sound because every text
//! outlives the statement: the values are borrowed for the whole call, and the statement is
//! finalized before it returns.

use rusqlite::{ffi, Connection};
use std::ffi::{c_int, CStr, CString};

/// One bound value.
pub enum Value<'a> {
    Int(i64),
    Text(&'a str),
}

/// A statement prepared on the connection's handle, finalized when dropped.
struct Raw {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: `stmt` came from sqlite3_prepare_v2 on `db` and is finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

impl Raw {
    fn error(&self, code: c_int) -> rusqlite::Error {
        // SAFETY: `db` is the live handle the statement belongs to; sqlite3_errmsg returns a
        // NUL-terminated string owned by sqlite, copied here before any other call.
        let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db)) }
            .to_string_lossy()
            .into_owned();
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some(msg))
    }

    fn prepare(conn: &Connection, sql: &str) -> rusqlite::Result<Raw> {
        let text = CString::new(sql).map_err(|_| rusqlite::Error::InvalidQuery)?;
        // SAFETY: the handle is the connection's own, used on this thread only while `conn` is
        // borrowed; a failed prepare leaves `stmt` null, which sqlite3_finalize accepts.
        unsafe {
            let db = conn.handle();
            let mut stmt = std::ptr::null_mut();
            let rc =
                ffi::sqlite3_prepare_v2(db, text.as_ptr(), -1, &mut stmt, std::ptr::null_mut());
            let raw = Raw { db, stmt };
            if rc != ffi::SQLITE_OK {
                return Err(raw.error(rc));
            }
            Ok(raw)
        }
    }

    /// Binds `values` (as many as the statement has parameters) and steps it once.
    fn run(&mut self, values: &[Value<'_>]) -> rusqlite::Result<()> {
        // SAFETY: the statement is live; each text is bound STATIC and stays borrowed (see the
        // module's note) until the statement is finalized; lengths are checked to fit a c_int.
        unsafe {
            if ffi::sqlite3_bind_parameter_count(self.stmt) as usize != values.len() {
                return Err(rusqlite::Error::InvalidParameterCount(
                    values.len(),
                    ffi::sqlite3_bind_parameter_count(self.stmt) as usize,
                ));
            }
            for (i, v) in values.iter().enumerate() {
                let n = i as c_int + 1;
                let rc = match v {
                    Value::Int(x) => ffi::sqlite3_bind_int64(self.stmt, n, *x),
                    Value::Text(s) => {
                        let len = c_int::try_from(s.len()).map_err(|_| {
                            rusqlite::Error::ToSqlConversionFailure(
                                "text too long for sqlite".into(),
                            )
                        })?;
                        ffi::sqlite3_bind_text(
                            self.stmt,
                            n,
                            s.as_ptr().cast(),
                            len,
                            ffi::SQLITE_STATIC(),
                        )
                    }
                };
                if rc != ffi::SQLITE_OK {
                    return Err(self.error(rc));
                }
            }
            let rc = ffi::sqlite3_step(self.stmt);
            ffi::sqlite3_reset(self.stmt);
            if rc != ffi::SQLITE_DONE {
                return Err(self.error(rc));
            }
        }
        Ok(())
    }
}

/// Runs the insert `sql(k)` (a statement of `k` rows of `per_row` parameters) over `values`,
/// `rows` rows at a time (the last statement takes what is left). The caller holds a
/// transaction: a failing statement inserts nothing, but the ones before it stand until the
/// transaction is rolled back.
pub fn insert(
    conn: &Connection,
    sql: impl Fn(usize) -> String,
    per_row: usize,
    rows: usize,
    values: &[Value<'_>],
) -> rusqlite::Result<()> {
    if per_row == 0 || rows == 0 || values.is_empty() {
        return Ok(());
    }
    if !values.len().is_multiple_of(per_row) {
        return Err(rusqlite::Error::InvalidParameterCount(
            values.len(),
            per_row,
        ));
    }
    let mut full: Option<Raw> = None;
    for chunk in values.chunks(per_row * rows) {
        let k = chunk.len() / per_row;
        if k == rows {
            let st = match &mut full {
                Some(st) => st,
                None => full.insert(Raw::prepare(conn, &sql(rows))?),
            };
            st.run(chunk)?;
        } else {
            Raw::prepare(conn, &sql(k))?.run(chunk)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(k: usize) -> String {
        format!(
            "INSERT INTO t (n, s) VALUES {}",
            vec!["(?, ?)"; k].join(", ")
        )
    }

    // Seven rows two at a time (three full statements and one of the one left over): every
    // text arrives whole, the empty one and a multi-byte one included, and the texts can be
    // dropped once the call returns (sqlite holds no pointer into them afterwards).
    #[test]
    fn rows_arrive_whole_in_chunks_and_a_rest() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER NOT NULL, s TEXT NOT NULL)")
            .unwrap();
        let texts: Vec<String> = ["a", "", "单位49", "x,y", "e", "f", "last one"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let values: Vec<Value> = texts
            .iter()
            .enumerate()
            .flat_map(|(i, s)| [Value::Int(i as i64), Value::Text(s)])
            .collect();
        insert(&conn, sql, 2, 2, &values).unwrap();
        drop(values);
        drop(texts);
        let got: Vec<(i64, String)> = conn
            .prepare("SELECT n, s FROM t ORDER BY n")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let want: Vec<(i64, String)> = ["a", "", "单位49", "x,y", "e", "f", "last one"]
            .iter()
            .enumerate()
            .map(|(i, s)| (i as i64, s.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    // A constraint the rows break is sqlite's error with its message, and nothing of the
    // failing statement is kept; a value list that is not whole rows is refused.
    #[test]
    fn errors_are_sqlite_errors() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT NOT NULL)")
            .unwrap();
        let values = [
            Value::Int(1),
            Value::Text("a"),
            Value::Int(1),
            Value::Text("b"),
        ];
        let err = insert(&conn, sql, 2, 2, &values).unwrap_err();
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        for part in [&values[..3], &values[..1]] {
            let err = insert(&conn, sql, 2, 2, part).unwrap_err();
            assert!(
                matches!(err, rusqlite::Error::InvalidParameterCount(n, 2) if n == part.len()),
                "{err:?}"
            );
        }
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
