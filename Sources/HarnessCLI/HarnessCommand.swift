import BuildVersion
import HarnessCommands
import PaymentsSystem

/// `harness`: the harness's commands for the payments system, and the payments system's own release
/// commands (`partner-sandbox`, `migrate`, `deploy`).
@main
enum HarnessCommand {
    static let tool = HarnessTool(
        name: "harness", system: .payments, acceptanceSuites: "^Acceptance\\.", unitSuites: "^(Unit|HarnessTests)\\.",
        bench: [.peerEqual, .full], commands: [PartnerSandboxCommand.self, Migrate.self, Deploy.self],
        environments: Deploy.Status.commits, version: BuildVersion.current.description)

    static func main() async {
        await tool.main()
    }
}
