# localtrail in a container. Inside a container the loopback default would make it unreachable,
# so the image binds every interface; publish the port to the host's loopback: -p 127.0.0.1:4566:4566.
FROM node:20-bookworm-slim
# Lambda runs python* functions with python3 and gives them boto3, as AWS's Python runtimes do.
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-boto3 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/localtrail
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY src ./src
COPY emulated-services ./emulated-services
COPY bin ./bin
# prepare (the esbuild bundle) runs as part of npm ci. The development dependencies stay: Node.js
# functions load the AWS SDK v3 clients from localtrail's own node_modules, as AWS's runtimes bundle it.
RUN npm ci --no-audit --no-fund
ENV LOCALTRAIL_HOST=0.0.0.0 \
    LOCALTRAIL_DATA_DIR=/var/lib/localtrail
VOLUME /var/lib/localtrail
EXPOSE 4566
ENTRYPOINT ["node", "bin/localtrail.js"]
