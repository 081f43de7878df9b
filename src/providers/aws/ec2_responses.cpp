#include "providers/aws/ec2_responses.h"

#include <charconv>

#include <pugixml.hpp>

#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

// Loads `xml`, checks its root element and hands that to `read`, which returns a Result.
template <class Read>
auto read_root(std::string_view xml, const char* root, Read read)
    -> decltype(read(pugi::xml_node{})) {
    pugi::xml_document doc;
    if (auto ok = load_answer(doc, xml, root); !ok) return ok.error();
    return read(doc.document_element());
}

InstanceState state_of(pugi::xml_node state) {
    return instance_state_from_code(state.child("code").text().as_int(-1));
}

std::vector<Tag> tags_of(pugi::xml_node tag_set) {
    std::vector<Tag> tags;
    for (pugi::xml_node item : tag_set.children("item"))
        tags.push_back({item.child_value("key"), item.child_value("value")});
    return tags;
}

util::Result<Ec2Instance> instance_of(pugi::xml_node item) {
    Ec2Instance instance;
    instance.instance_id = item.child_value("instanceId");
    if (instance.instance_id.empty()) return util::make_error("EC2 listed an instance without id");
    instance.instance_type = item.child_value("instanceType");
    instance.image_id = item.child_value("imageId");
    instance.state = state_of(item.child("instanceState"));
    instance.state_reason = item.child("stateReason").child_value("message");
    instance.transition_reason = item.child_value("reason");
    instance.availability_zone = item.child("placement").child_value("availabilityZone");
    instance.private_ip = item.child_value("privateIpAddress");
    instance.public_ip = item.child_value("ipAddress");
    instance.lifecycle = item.child_value("instanceLifecycle");
    if (const char* launch = item.child_value("launchTime"); *launch) {
        auto time = util::parse_iso8601_utc(launch);
        if (!time.ok())
            return util::make_error("instance " + instance.instance_id +
                                    ": bad launchTime: " + time.error().message);
        instance.launch_time = time.value();
    }
    instance.tags = tags_of(item.child("tagSet"));
    return instance;
}

util::Status append_instances(pugi::xml_node instances_set, std::vector<Ec2Instance>& out) {
    for (pugi::xml_node item : instances_set.children("item")) {
        auto instance = instance_of(item);
        if (!instance.ok()) return instance.error();
        out.push_back(std::move(instance.value()));
    }
    return {};
}

util::Result<SpotPrice> spot_price_of(pugi::xml_node item) {
    SpotPrice price;
    price.instance_type = item.child_value("instanceType");
    price.product_description = item.child_value("productDescription");
    price.availability_zone = item.child_value("availabilityZone");
    const std::string_view text = item.child_value("spotPrice");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), price.usd_per_hour);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return util::make_error("EC2 gave a spot price that is not a number: '" +
                                std::string(text) + "'");
    auto time = util::parse_iso8601_utc(item.child_value("timestamp"));
    if (!time.ok()) return util::make_error("bad spot price timestamp: " + time.error().message);
    price.timestamp = time.value();
    return price;
}

}  // namespace

util::Status load_answer(pugi::xml_document& doc, std::string_view xml, const char* root) {
    const auto parsed = doc.load_buffer(xml.data(), xml.size());
    if (!parsed)
        return util::make_error(std::string("EC2's answer to ") + root + " is not XML (" +
                                parsed.description() + ")");
    if (std::string_view(doc.document_element().name()) != root)
        return util::make_error(std::string("EC2 answered with <") + doc.document_element().name() +
                                "> where <" + root + "> was expected");
    return {};
}

util::Result<RunInstancesResponse> parse_run_instances(std::string_view xml) {
    return read_root(xml, "RunInstancesResponse",
                     [](pugi::xml_node root) -> util::Result<RunInstancesResponse> {
                         RunInstancesResponse out;
                         out.reservation_id = root.child_value("reservationId");
                         auto ok = append_instances(root.child("instancesSet"), out.instances);
                         if (!ok) return ok.error();
                         if (out.instances.empty())
                             return util::make_error("EC2 reported no launched instances");
                         return out;
                     });
}

util::Result<DescribeInstancesPage> parse_describe_instances(std::string_view xml) {
    return read_root(
        xml, "DescribeInstancesResponse",
        [](pugi::xml_node root) -> util::Result<DescribeInstancesPage> {
            DescribeInstancesPage page;
            for (pugi::xml_node reservation : root.child("reservationSet").children("item"))
                if (auto ok = append_instances(reservation.child("instancesSet"), page.instances);
                    !ok)
                    return ok.error();
            page.next_token = root.child_value("nextToken");
            return page;
        });
}

util::Result<std::vector<InstanceStateChange>> parse_terminate_instances(std::string_view xml) {
    return read_root(
        xml, "TerminateInstancesResponse",
        [](pugi::xml_node root) -> util::Result<std::vector<InstanceStateChange>> {
            std::vector<InstanceStateChange> out;
            for (pugi::xml_node item : root.child("instancesSet").children("item"))
                out.push_back({item.child_value("instanceId"), state_of(item.child("currentState")),
                               state_of(item.child("previousState"))});
            return out;
        });
}

util::Result<SpotPricePage> parse_spot_price_history(std::string_view xml) {
    return read_root(
        xml, "DescribeSpotPriceHistoryResponse",
        [](pugi::xml_node root) -> util::Result<SpotPricePage> {
            SpotPricePage page;
            for (pugi::xml_node item : root.child("spotPriceHistorySet").children("item")) {
                auto price = spot_price_of(item);
                if (!price.ok()) return price.error();
                page.prices.push_back(std::move(price.value()));
            }
            page.next_token = root.child_value("nextToken");
            return page;
        });
}

util::Status parse_create_tags(std::string_view xml) {
    return read_root(xml, "CreateTagsResponse", [](pugi::xml_node root) -> util::Status {
        if (std::string_view(root.child_value("return")) != "true")
            return util::make_error("EC2 did not confirm CreateTags");
        return {};
    });
}

}  // namespace spotfarm::providers::aws
