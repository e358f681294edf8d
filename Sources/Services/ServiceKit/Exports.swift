// A service built on ServiceKit speaks in the engine's wire and contract types (`ServiceName`, `JSON`,
// `APIDocument`): one import gives it them, and nothing else of the engine.
@_exported import HarnessContracts
@_exported import HarnessCore
