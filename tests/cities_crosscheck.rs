mod support;
use support::*;

#[test]
fn placeholder() {
    let _ = rid("320281", "2000-01-01", "001");
}
