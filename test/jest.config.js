// End-to-end tests across packages (run after every package's own tests).
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, testMatch: ['<rootDir>/**/*.test.ts'] };
