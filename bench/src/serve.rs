//! A case served over real HTTP (`serve` binary, bench/run's `http` step): the same service
//! the in-process runners call, on a loopback port, with one worker thread, so that a load
//! generator compares dmr, hand-written actix and poem-openapi serving the same request.

use crate::{Case, Kind};

impl Case {
    /// Serves this case on `127.0.0.1:port` with one worker until the process is killed.
    pub fn serve(&self, port: u16) -> std::io::Result<()> {
        let addr = ("127.0.0.1", port);
        match self.kind {
            Kind::Actix(configure) => actix_rt::System::new().block_on(
                actix_web::HttpServer::new(move || actix_web::App::new().configure(configure))
                    .workers(1)
                    .bind(addr)?
                    .run(),
            ),
            Kind::Poem(route) => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(poem::Server::new(poem::listener::TcpListener::bind(addr)).run(route())),
        }
    }
}
