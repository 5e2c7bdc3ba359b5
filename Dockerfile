# localtrail in a container. Inside a container the loopback default would make it unreachable,
# so the image binds every interface; publish the port to the host's loopback: -p 127.0.0.1:4566:4566.
FROM node:20-bookworm-slim
WORKDIR /opt/localtrail
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY src ./src
COPY emulated-services ./emulated-services
COPY bin ./bin
# prepare (the esbuild bundle) runs as part of npm ci; dev dependencies are not needed at run time.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev
ENV LOCALTRAIL_HOST=0.0.0.0 \
    LOCALTRAIL_DATA_DIR=/var/lib/localtrail
VOLUME /var/lib/localtrail
EXPOSE 4566
ENTRYPOINT ["node", "bin/localtrail.js"]
