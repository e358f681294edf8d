// The engine's public API is built on the seam and the contract types: `import Harness` is all a suite needs.
@_exported import HarnessContracts
@_exported import HarnessCore
