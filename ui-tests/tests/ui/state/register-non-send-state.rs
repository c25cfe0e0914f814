use std::rc::Rc;

use dmr_runtime::Api;

fn main() {
    let _ = Api::new().state(Rc::new(1));
}
