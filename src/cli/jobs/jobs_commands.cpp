#include "cli/jobs/jobs_commands.h"

#include <charconv>

namespace spotfarm::cli {

void add_job_id_argument(CLI::App& command, std::int64_t& id) {
    CLI::Validator whole_number(
        [](std::string& text) -> std::string {
            std::int64_t value = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec == std::errc() && end == text.data() + text.size() && value >= 1) return "";
            return "'" + text + "' is not a job id: ids are whole numbers such as 12 " +
                   "(see spotfarm jobs)";
        },
        "");
    command.add_option("id", id, "The job's id (see spotfarm jobs)")
        ->required()
        ->type_name("ID")
        ->check(whole_number);
}

}  // namespace spotfarm::cli
