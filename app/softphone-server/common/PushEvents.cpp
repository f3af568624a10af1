#include "PushEvents.h"

namespace softphone::server {

PushEvents &PushEvents::instance()
{
    // Lives for the whole process: roles connect and disconnect as they come and go.
    static PushEvents events;
    return events;
}

} // namespace softphone::server
