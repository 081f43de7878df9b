#pragma once
// Thumbnails of finished frames, made as each frame is done (thumbnails.cpp): the dashboard's
// frame grid shows them as they come.

#include "core/attempt.h"
#include "manager/routes/api_context.h"

namespace spotfarm::manager::routes {

// From Farm::on_attempt_ended (after the transition, on the io thread, posted: it calls the
// Farm): a completed attempt's frames get thumbnails on the disk pool, and the event feed says
// so. At most a few dozen wait at once; past that a thumbnail is made when first asked for.
void make_thumbnails_of(ApiContext& ctx, const core::AttemptEnd& end);

}  // namespace spotfarm::manager::routes
