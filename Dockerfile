# localtrail in a container: docker build -t localtrail . && docker run --rm -p 127.0.0.1:4566:4566 localtrail
# Inside a container the loopback default would make it unreachable, so the image binds every interface;
# publish the port to the host's loopback. It prints `Ready.` when it accepts calls (Testcontainers'
# LocalStack module waits for that line) and answers GET /_localtrail/health (the HEALTHCHECK below).

# Build stage: the development tools (TypeScript, esbuild) make dist/, and stay here.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.testing.json ./
COPY scripts ./scripts
COPY src ./src
COPY emulated-services ./emulated-services
COPY bin ./bin
RUN node scripts/build.mjs

# Run stage: the bundle, the files it reads at run time, and the production dependencies.
FROM node:20-bookworm-slim
# Lambda runs python* functions with python3 and gives them boto3, as AWS's Python runtimes do.
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-boto3 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/localtrail
COPY package.json package-lock.json ./
# Node.js functions load the AWS SDK v3 clients from localtrail's own node_modules, as AWS's runtimes bundle
# it. They are development dependencies (of localtrail's tests): here they become dependencies, at the
# locked versions, and every other development dependency (TypeScript, vitest, esbuild, ...) is left out.
RUN node -e "const fs = require('fs'); const p = JSON.parse(fs.readFileSync('package.json')); for (const [n, v] of Object.entries(p.devDependencies)) if (n.startsWith('@aws-sdk/client-')) p.dependencies[n] = v; delete p.devDependencies; fs.writeFileSync('package.json', JSON.stringify(p, null, 2))" \
 && npm install --omit=dev --no-audit --no-fund --ignore-scripts \
 && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY src/generated/descriptors ./src/generated/descriptors
COPY emulated-services/lambda/runtime/*.mjs emulated-services/lambda/runtime/*.py ./emulated-services/lambda/runtime/
RUN mkdir -p /var/lib/localtrail && chown node:node /var/lib/localtrail
USER node
ENV LOCALTRAIL_HOST=0.0.0.0 \
    LOCALTRAIL_DATA_DIR=/var/lib/localtrail \
    NODE_ENV=production
VOLUME /var/lib/localtrail
EXPOSE 4566
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LOCALTRAIL_PORT || 4566) + '/_localtrail/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/localtrail.js"]
