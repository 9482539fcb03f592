# improvement-loop server image. Build: docker build -t improvement-loop .
# Run:   docker run -p 4002:4002 -e REDIS_URL=redis://redis:6379 -e API_TOKENS=… -e ENABLE_SELF_IMPROVEMENT=true \
#          -v il-data:/data improvement-loop
# Or with Redis beside it: compose.yaml (docker compose up -d). .dockerignore keeps node_modules, .git
# and .env out of the build context.
# Stage 1 compiles src/ to dist/ (it needs TypeScript, a dev dependency); stage 2 is the image, with
# production dependencies only and the compiled dist/ beside the sources, so the server starts
# compiled JavaScript (bin/load-cli.js) instead of transpiling TypeScript at every start.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# npm ci runs the prepare script (scripts/build.mjs), which steps aside while src/ is not there yet.
COPY package.json package-lock.json ./
COPY scripts/build.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json ./
RUN npm run build

FROM node:20-bookworm-slim
# git: the analyzers read the target repository's history; build tools for better-sqlite3;
# bubblewrap: the executor's test sandbox (needs a seccomp/apparmor profile that allows user namespaces,
# e.g. `docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined`; without it
# trials and executions are refused, see docs/EXECUTOR.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends git python3 make g++ ca-certificates bubblewrap \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/build.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY scripts ./scripts
COPY tsconfig.json manifest.yml* ./
# After src/: the stamp must be newer than every source file for bin/ to take dist/.
COPY --from=build /app/dist ./dist
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4002 DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4002
# The check asks the port the server was told to use (PORT, as set with -e or compose), not the default.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4002)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/improvement-loop.js", "serve"]
