#include "providers/aws/ec2_fleet_responses.h"

#include <pugixml.hpp>

#include "providers/aws/ec2_responses.h"

namespace spotfarm::providers::aws {
namespace {

// The root element of `xml` when it is named `root`.
util::Result<pugi::xml_node> root_of(pugi::xml_document& doc, std::string_view xml,
                                     const char* root) {
    if (auto ok = load_answer(doc, xml, root); !ok) return ok.error();
    return doc.document_element();
}

// launchTemplateAndOverrides: the pool of an instance or an error.
FleetPool pool_of(pugi::xml_node template_and_overrides) {
    const pugi::xml_node overrides = template_and_overrides.child("overrides");
    FleetPool pool;
    pool.instance_type = overrides.child_value("instanceType");
    pool.subnet_id = overrides.child_value("subnetId");
    pool.availability_zone = overrides.child_value("availabilityZone");
    return pool;
}

LaunchTemplateInfo template_of(pugi::xml_node launch_template) {
    LaunchTemplateInfo info;
    info.id = launch_template.child_value("launchTemplateId");
    info.name = launch_template.child_value("launchTemplateName");
    return info;
}

}  // namespace

util::Result<LaunchTemplateInfo> parse_create_launch_template(std::string_view xml) {
    pugi::xml_document doc;
    auto root = root_of(doc, xml, "CreateLaunchTemplateResponse");
    if (!root.ok()) return root.error();
    LaunchTemplateInfo info = template_of(root->child("launchTemplate"));
    if (info.id.empty()) return util::make_error("EC2 created a launch template without an id");
    return info;
}

util::Status parse_delete_launch_template(std::string_view xml) {
    pugi::xml_document doc;
    auto root = root_of(doc, xml, "DeleteLaunchTemplateResponse");
    if (!root.ok()) return root.error();
    return {};
}

util::Result<CreateFleetResponse> parse_create_fleet(std::string_view xml) {
    pugi::xml_document doc;
    auto root = root_of(doc, xml, "CreateFleetResponse");
    if (!root.ok()) return root.error();
    CreateFleetResponse out;
    out.fleet_id = root->child_value("fleetId");
    for (pugi::xml_node item : root->child("fleetInstanceSet").children("item")) {
        FleetLaunched launched;
        launched.instance_type = item.child_value("instanceType");
        launched.lifecycle = item.child_value("lifecycle");
        launched.pool = pool_of(item.child("launchTemplateAndOverrides"));
        if (launched.instance_type.empty()) launched.instance_type = launched.pool.instance_type;
        for (pugi::xml_node id : item.child("instanceIds").children("item"))
            if (*id.child_value()) launched.instance_ids.emplace_back(id.child_value());
        out.launched.push_back(std::move(launched));
    }
    for (pugi::xml_node item : root->child("errorSet").children("item")) {
        FleetError error;
        error.code = item.child_value("errorCode");
        error.message = item.child_value("errorMessage");
        error.lifecycle = item.child_value("lifecycle");
        error.pool = pool_of(item.child("launchTemplateAndOverrides"));
        out.errors.push_back(std::move(error));
    }
    if (out.launched.empty() && out.errors.empty())
        return util::make_error("EC2 answered CreateFleet with neither instances nor errors");
    return out;
}

}  // namespace spotfarm::providers::aws
