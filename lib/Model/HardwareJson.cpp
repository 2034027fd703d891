//===- HardwareJson.cpp - a hardware description as a JSON object ---------===//
//
// The resolved description (file, then --hw-set) in a report: every field of
// the table under its JSON key, so the object is itself a valid --hw file.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"
#include "rebocc/Support/Json.h"

namespace rebocc::model {

void writeHardwareJson(llvm::json::OStream &json, const HardwareDesc &hw) {
  json.object([&] {
    for (const HardwareField *field = hardwareFieldsBegin();
         field != hardwareFieldsEnd(); ++field) {
      switch (field->kind) {
      case HardwareField::String:
        json.attribute(field->key, support::jsonString(hw.*(field->str)));
        break;
      case HardwareField::Int:
        // `auto` stays the word: the bits it resolves to differ per layer.
        if (isAutoValue(*field, hw))
          json.attribute(field->key, "auto");
        else
          json.attribute(field->key, hw.*(field->integer));
        break;
      case HardwareField::Real:
        json.attribute(field->key, support::jsonNumber(hw.*(field->real)));
        break;
      }
    }
  });
}

} // namespace rebocc::model
