/** Jest runs TypeScript through swc (no type checking); `npm run typecheck` is the type gate. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Terraform init/plan of several stacks runs serially inside one file; give it room.
  testTimeout: 300000,
};
