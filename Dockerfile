# Production-like image of the tejian server and its SPA (used by docker-compose.yml).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN rustup toolchain install && cargo xtask build

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/tejian /usr/local/bin/tejian
COPY --from=build /src/frontend/dist /app/frontend/dist
ENV TEJIAN_ADDR=0.0.0.0:8080 TEJIAN_SPA_DIR=/app/frontend/dist TEJIAN_DATA_DIR=/app/data
EXPOSE 8080
USER nobody
CMD ["tejian", "serve"]
