backend.add(import('@paved/plugin-platform-maturity-backend'));
backend.add(import('@paved/plugin-scaffolder-backend-module-golden-path'));
