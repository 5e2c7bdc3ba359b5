/** Style sheets are bundled into dist/console.css by esbuild. */
declare module "*.css";
