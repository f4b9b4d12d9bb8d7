# iexec-core-ts: the scheduler as one bundled file (dist/main.js) on Node.js 24 LTS.
#
#   docker build -t iexec-core-ts .
#
# NODE_IMAGE: the Node.js base of both stages: node on the PATH, a `node` user (uid 1000), and npm
# for DIST=build.
# DIST: where dist/ comes from. `build` (default) compiles it here with `npm ci`; `prebuilt` takes
# the dist/ of the build context (`npm run build` first), for builders that cannot reach the npm
# registry, e.g. scripts/image-smoke.sh. Both need BuildKit: it skips the stage not chosen.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG DIST=build

# --- build: compile and bundle with the full dependency tree -------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/write-build-info.mjs scripts/bundle.mjs scripts/
COPY src ./src
RUN npm run build

FROM scratch AS prebuilt
COPY dist/main.js dist/main.js.LEGAL.txt dist/build-info.json /app/dist/
COPY dist/swagger-ui /app/dist/swagger-ui

FROM ${DIST} AS dist

# --- runtime: the bundle only -----------------------------------------------------------------
# dist/main.js carries every dependency (scripts/bundle.mjs); the packages it leaves external are
# optional probes (kerberos, snappy, @nestjs/microservices…) that are not installed anyway, so the
# image has no node_modules. package.json gives /actuator/info its name and version.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=dist /app/dist/main.js /app/dist/main.js.LEGAL.txt /app/dist/build-info.json ./dist/
# Swagger UI's static files (/swagger-ui/index.html), copied by scripts/bundle.mjs.
COPY --from=dist /app/dist/swagger-ui ./dist/swagger-ui
# Files owned by root: the scheduler cannot rewrite its own code. The keystore is a read-only
# mount that uid 1000 (`node`) can read, its path given as the Java image's is, e.g.
#   -v /srv/pool/wallet.json:/iexec/wallet/encrypted-wallet.json:ro
#   -e IEXEC_CORE_WALLET_PATH=/iexec/wallet/encrypted-wallet.json
USER node
EXPOSE 13000
# Liveness, not /actuator/health: a chain or database incident must not get the container
# restarted (the Java image has no health check).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.IEXEC_CORE_PORT||13000)+'/actuator/health/liveness').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM once listening (graceful stop, exit 0); `--init` (compose:
# `init: true`) also covers a SIGTERM during the boot, before the handler exists.
CMD ["node", "dist/main.js"]
# Last, so that build-specific values leave the cached layers above as they are.
ARG VERSION=0.1.0
ARG REVISION=
ARG CREATED=
LABEL org.opencontainers.image.title="iexec-core-ts" \
      org.opencontainers.image.description="iExec Core Scheduler (drop-in for iexec-core 8.5) in TypeScript/NestJS" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="iexec-core-ts" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
