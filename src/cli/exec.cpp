// `spotfarm exec`: not built yet; registers nothing until then.
#include "cli/commands.h"

namespace spotfarm::cli {
void add_exec_command(CLI::App& app, int& exit_code) {
    (void)app;
    (void)exit_code;
}
}  // namespace spotfarm::cli
