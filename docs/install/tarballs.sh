# In the app's root, with Paved's tarballs in paved-packages/ (written there by
# `npm run test:pack -- --keep <app>/paved-packages` in a checkout of Paved):
npm pkg set \
  'resolutions.@paved/plugin-platform-maturity-common=file:./paved-packages/paved-plugin-platform-maturity-common.tgz' \
  'resolutions.@paved/plugin-platform-maturity-node=file:./paved-packages/paved-plugin-platform-maturity-node.tgz' \
  'resolutions.@paved/plugin-platform-maturity-backend=file:./paved-packages/paved-plugin-platform-maturity-backend.tgz' \
  'resolutions.@paved/plugin-scaffolder-backend-module-golden-path=file:./paved-packages/paved-plugin-scaffolder-backend-module-golden-path.tgz' \
  'resolutions.@paved/plugin-platform-maturity=file:./paved-packages/paved-plugin-platform-maturity.tgz'
yarn --cwd packages/backend add \
  @paved/plugin-platform-maturity-backend@file:../../paved-packages/paved-plugin-platform-maturity-backend.tgz \
  @paved/plugin-scaffolder-backend-module-golden-path@file:../../paved-packages/paved-plugin-scaffolder-backend-module-golden-path.tgz
yarn --cwd packages/app add \
  @paved/plugin-platform-maturity@file:../../paved-packages/paved-plugin-platform-maturity.tgz
