# The GitHub App: Node 24 LTS, one bundled file and its data (no node_modules), as an
# unprivileged user under tini. test/app/production-start.test.ts does what this file does.
#
# The base is pinned by digest (the multi-arch index of node:24-slim). To refresh it:
#   docker buildx imagetools inspect node:24-slim   # the "Digest:" line
# and replace both digests below.

# Build stage: the whole dependency tree, then esbuild bundles src/app/main.ts.
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
RUN node scripts/build-app.ts build/app.js

# Runtime stage: git for clones, tini as PID 1 (it reaps git's children and passes SIGTERM on).
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json app.yml models.yaml LICENSE ./
COPY prompts ./prompts
COPY --from=build /src/build/app.js ./build/app.js
ENV NODE_ENV=production \
    ORCHESTRATOR_WORK_DIR=/tmp/orchestrator \
    PORT=3000
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "build/app.js"]
