# syntax=docker/dockerfile:1
# --- build: compile TypeScript with the full dependency tree -------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/write-build-info.mjs scripts/bundle.mjs scripts/
COPY src ./src
RUN npm run build

# --- runtime: production dependencies only, non-root -----------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 13000
# The Java image has no health check; orchestrators get one here (503 when DOWN/OUT_OF_SERVICE).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.IEXEC_CORE_PORT||13000)+'/actuator/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
