// Fuzz target: submissions as ODK Collect sends them (forms/xform/submission). The input is the
// submission XML: read_submission may only throw SubmissionError; a submission that reads is
// validated against a fixed household form (required, relevant, constraint, type and choice
// rules, a repeat, a secondary instance), which reports issues and must not throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "forms/xform/schema.hpp"
#include "forms/xform/submission.hpp"

namespace xf = gotong::forms::xform;

namespace {
// Written for this target: one field of each rule kind the validator checks.
const char* const kForm = R"XF(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
        xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms">
 <h:head><h:title>Survei keluarga</h:title>
  <model odk:xforms-version="1.0.0">
   <itext>
    <translation lang="Indonesia (id)" default="true()">
     <text id="/keluarga/umur:constraintMsg"><value>Umur 0 sampai 120</value></text>
    </translation>
    <translation lang="English (en)">
     <text id="/keluarga/umur:constraintMsg"><value>Age 0 to 120</value></text>
    </translation>
   </itext>
   <instance>
    <keluarga id="survei_keluarga" version="2026112801">
     <nama/><umur/><desa/><air/><air_lain/><tanggal/><lokasi/><biaya/><alat/>
     <anggota jr:template=""><jk/><lahir/><sekolah/></anggota>
     <jumlah/>
     <meta><instanceID/><instanceName/></meta>
    </keluarga>
   </instance>
   <instance id="desa">
    <root><item><name>sukamaju</name><label>Sukamaju</label></item>
          <item><name>cibiru</name><label>Cibiru</label></item></root>
   </instance>
   <bind nodeset="/keluarga/nama" type="string" required="true()" jr:requiredMsg="Nama wajib"/>
   <bind nodeset="/keluarga/umur" type="int" required="true()" constraint=". &gt;= 0 and . &lt;= 120"
         jr:constraintMsg="jr:itext('/keluarga/umur:constraintMsg')"/>
   <bind nodeset="/keluarga/desa" type="string" required="true()"/>
   <bind nodeset="/keluarga/air" type="string"/>
   <bind nodeset="/keluarga/air_lain" type="string" required="true()" relevant="selected(/keluarga/air, 'lain')"/>
   <bind nodeset="/keluarga/tanggal" type="date" constraint=". &lt;= today()"/>
   <bind nodeset="/keluarga/lokasi" type="geopoint"/>
   <bind nodeset="/keluarga/biaya" type="decimal" constraint="regex(string(.), '^[0-9]+(\.[0-9]{1,2})?$')"/>
   <bind nodeset="/keluarga/alat" type="string" constraint="count-selected(.) &lt;= 2"/>
   <bind nodeset="/keluarga/anggota/jk" type="string" required="true()"/>
   <bind nodeset="/keluarga/anggota/lahir" type="dateTime" relevant="../jk != ''"/>
   <bind nodeset="/keluarga/anggota/sekolah" type="int" constraint=". &lt; /keluarga/umur"/>
   <bind nodeset="/keluarga/jumlah" type="int" calculate="count(/keluarga/anggota)"/>
   <bind nodeset="/keluarga/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
   <bind nodeset="/keluarga/meta/instanceName" type="string" calculate="concat(/keluarga/nama, ' ', /keluarga/desa)"/>
  </model>
 </h:head>
 <h:body>
  <input ref="/keluarga/nama"><label>Nama kepala keluarga</label></input>
  <input ref="/keluarga/umur"><label>Umur</label></input>
  <select1 ref="/keluarga/desa"><label>Desa</label>
   <itemset nodeset="instance('desa')/root/item"><value ref="name"/><label ref="label"/></itemset>
  </select1>
  <select ref="/keluarga/air"><label>Sumber air</label>
   <item><label>Sumur</label><value>sumur</value></item>
   <item><label>PDAM</label><value>pdam</value></item>
   <item><label>Lainnya</label><value>lain</value></item>
  </select>
  <input ref="/keluarga/air_lain"><label>Sebutkan</label></input>
  <input ref="/keluarga/tanggal"><label>Tanggal</label></input>
  <input ref="/keluarga/lokasi"><label>Lokasi</label></input>
  <input ref="/keluarga/biaya"><label>Biaya</label></input>
  <select ref="/keluarga/alat"><label>Alat</label>
   <item><label>Cangkul</label><value>cangkul</value></item>
   <item><label>Traktor</label><value>traktor</value></item>
   <item><label>Pompa</label><value>pompa</value></item>
  </select>
  <group ref="/keluarga/anggota"><label>Anggota</label>
   <repeat nodeset="/keluarga/anggota">
    <select1 ref="/keluarga/anggota/jk"><label>Jenis kelamin</label>
     <item><label>Laki-laki</label><value>l</value></item>
     <item><label>Perempuan</label><value>p</value></item>
    </select1>
    <input ref="/keluarga/anggota/lahir"><label>Lahir</label></input>
    <input ref="/keluarga/anggota/sekolah"><label>Tahun sekolah</label></input>
   </repeat>
  </group>
 </h:body>
</h:html>)XF";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const xf::Schema schema = xf::read_schema(kForm);
  static const xf::Validator validator(schema, 420);
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  xf::Submission submission;
  try {
    submission = xf::read_submission(xml);
  } catch (const xf::SubmissionError&) {
    return 0;
  }
  (void)validator.validate(submission);  // documents no exception
  return 0;
}
