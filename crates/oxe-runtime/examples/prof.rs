use std::time::Instant;
fn main() {
    let s = std::fs::read_to_string("/tmp/plan.json").unwrap();
    let t = Instant::now();
    let v = oxe_runtime::jsjson::parse(&s).unwrap();
    println!("jsjson parse {:?}", t.elapsed());
    let t = Instant::now();
    let _v2: serde_json::Value = serde_json::from_str(&s).unwrap();
    println!("serde parse {:?}", t.elapsed());
    let t = Instant::now();
    let out = oxe_runtime::jsjson::to_line(&v);
    println!("to_line {:?} {}", t.elapsed(), out.len());
    let t = Instant::now();
    let g = oxe_runtime::compiler::compile(&s, "{}", None).unwrap();
    println!("compile {:?}", t.elapsed());
    let t = Instant::now();
    let w = g.to_wire();
    println!("to_wire {:?} {}", t.elapsed(), w.len());
}
