package registry

import (
	"context"
	"errors"
	"testing"

	"traceledger/fixtures"
	"traceledger/ledger/epcis"
)

// keyRole is the API key role of a fixture firm (fixtures.Role's documentation).
func keyRole(r fixtures.Role) string {
	switch r {
	case fixtures.RoleLab:
		return RoleInspector
	case fixtures.RoleRegulator:
		return RoleRegulator
	}
	return RoleProducer
}

// cloneEvent returns a deep copy of ev through its canonical form.
func cloneEvent(t *testing.T, ev *epcis.Event) *epcis.Event {
	t.Helper()
	b, err := ev.CanonicalJSON()
	if err != nil {
		t.Fatal(err)
	}
	c, err := epcis.ParseEvent(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEveryDemoEventPassesForItsRecorder(t *testing.T) {
	l := openLog(t)
	r := New(l)
	d := loadDemo(t, l, r)
	for i, ev := range d.Events {
		f := d.Firm(d.Recorders[i])
		if err := r.CheckCapture(f.USCC, keyRole(f.Role), ev); err != nil {
			t.Errorf("event %d (%s %s by %s): %v", i, ev.Type, ev.BizStep, f.NameEN, err)
		}
	}
}

func TestCheckCapture(t *testing.T) {
	ctx := context.Background()
	l := openLog(t)
	r := New(l)
	d := loadDemo(t, l, r)
	byRole := func(role fixtures.Role, n int) *fixtures.Firm {
		for i := range d.Firms {
			if d.Firms[i].Role == role {
				if n == 0 {
					return &d.Firms[i]
				}
				n--
			}
		}
		t.Fatalf("no %s number %d", role, n)
		return nil
	}
	farm, farm2, plant := byRole(fixtures.RoleFarm, 0), byRole(fixtures.RoleFarm, 1), byRole(fixtures.RolePlant, 0)
	lab, regulator := byRole(fixtures.RoleLab, 0), byRole(fixtures.RoleRegulator, 0)
	// find returns a copy of the first demo event recorded by firm that matches.
	find := func(firm *fixtures.Firm, match func(ev *epcis.Event) bool) *epcis.Event {
		for i, ev := range d.Events {
			if d.Recorders[i] == firm.USCC && match(ev) {
				return cloneEvent(t, ev)
			}
		}
		t.Fatalf("no matching event by %s", firm.NameEN)
		return nil
	}
	commissionLot := func() *epcis.Event {
		return find(farm, func(ev *epcis.Event) bool { return ev.Action == epcis.ActionAdd && len(ev.QuantityList) > 0 })
	}
	transform := func() *epcis.Event {
		return find(plant, func(ev *epcis.Event) bool { return ev.Type == epcis.TransformationEvent })
	}
	pack := func() *epcis.Event {
		for i := range d.Firms {
			for j, ev := range d.Events {
				if d.Recorders[j] == d.Firms[i].USCC && ev.Type == epcis.AggregationEvent && ev.Action == epcis.ActionAdd {
					return cloneEvent(t, ev)
				}
			}
		}
		t.Fatal("no packing event")
		return nil
	}
	packer := func() *fixtures.Firm {
		for j, ev := range d.Events {
			if ev.Type == epcis.AggregationEvent && ev.Action == epcis.ActionAdd {
				return d.Firm(d.Recorders[j])
			}
		}
		return nil
	}()
	receive := func() *epcis.Event {
		return find(plant, func(ev *epcis.Event) bool { return ev.BizStep == "receiving" })
	}
	sample := func() *epcis.Event {
		return find(lab, func(ev *epcis.Event) bool { return ev.BizStep == "sampling" })
	}
	otherSite := farm2.Sites[0].URI()
	otherLot := fixtures.LotURI(fixtures.GTIN(farm2.Prefixes[0], 1), "X1")

	pendingUSCC, err := fixtures.MakeUSCC('9', '1', "150100", "MA0PD009")
	if err != nil {
		t.Fatal(err)
	}
	pending := Firm{USCC: pendingUSCC, Name: "Pending Inspection Co.", Region: "150100",
		Sites: []Site{{GLN: fixtures.GLN("6990099", 1)}}}
	if err := r.RegisterFirm(ctx, pending); err != nil {
		t.Fatal(err)
	}
	suspendedFarm := byRole(fixtures.RoleFarm, 1)
	if _, err := r.UpdateFirm(ctx, suspendedFarm.USCC, Update{Status: StatusSuspended}); err != nil {
		t.Fatal(err)
	}
	unregistered, _ := fixtures.MakeUSCC('9', '1', "150100", "MA0UN010")

	for _, tc := range []struct {
		name  string
		firm  string
		role  string
		event func() *epcis.Event
		field string // "" with ok false: refused for the firm itself
		ok    bool
	}{
		{"producer commissions a lot under its prefix at its site", farm.USCC, RoleProducer, commissionLot, "", true},
		{"producer commissions a lot under another firm's prefix", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.QuantityList[0].EPCClass = otherLot
			return ev
		}, "quantityList[0].epcClass", false},
		{"producer commissions a serial under another firm's prefix", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.EPCList = []string{fixtures.SerialURI(fixtures.GTIN(farm2.Prefixes[0], 1), "S1")}
			return ev
		}, "epcList[0]", false},
		{"producer commissions a non-GS1 identifier", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.EPCList = []string{"urn:uuid:7a0c4c3e-33c5-4a53-9b28-1d4c1e0d2c11"}
			return ev
		}, "epcList[0]", false},
		{"producer records at another firm's site", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.BizLocation.ID = otherSite
			return ev
		}, "bizLocation.id", false},
		{"producer's read point at another firm's site", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.ReadPoint.ID = otherSite
			return ev
		}, "readPoint.id", false},
		{"producer event without a location", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.ReadPoint, ev.BizLocation = nil, nil
			return ev
		}, "bizLocation", false},
		{"producer event at a non-GLN location", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.BizLocation.ID = "urn:example:loc:1"
			return ev
		}, "bizLocation.id", false},
		{"producer observes another firm's lot at its site", farm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.Action = epcis.ActionObserve
			ev.QuantityList[0].EPCClass = otherLot
			return ev
		}, "", true},
		{"producer receives another firm's goods", plant.USCC, RoleProducer, receive, "", true},
		{"producer transforms others' lots into its own", plant.USCC, RoleProducer, transform, "", true},
		{"producer transforms into another firm's lot", plant.USCC, RoleProducer, func() *epcis.Event {
			ev := transform()
			ev.OutputQuantityList[0].EPCClass = otherLot
			return ev
		}, "outputQuantityList[0].epcClass", false},
		{"producer packs on its own pallet", packer.USCC, RoleProducer, pack, "", true},
		{"producer packs on another firm's pallet", packer.USCC, RoleProducer, func() *epcis.Event {
			ev := pack()
			ev.ParentID = fixtures.SSCCURI(fixtures.SSCC(farm2.Prefixes[0], 0, 9))
			return ev
		}, "parentID", false},
		{"suspended producer", suspendedFarm.USCC, RoleProducer, func() *epcis.Event {
			ev := commissionLot()
			ev.ReadPoint.ID, ev.BizLocation.ID = otherSite, otherSite
			return ev
		}, "", false},
		{"unregistered producer", unregistered, RoleProducer, commissionLot, "", false},
		{"inspector samples anywhere", lab.USCC, RoleInspector, sample, "", true},
		{"inspector inspects at a farm", lab.USCC, RoleInspector, func() *epcis.Event {
			ev := sample()
			ev.BizStep = "inspecting"
			ev.ReadPoint.ID, ev.BizLocation.ID = otherSite, otherSite
			return ev
		}, "", true},
		{"inspector commissions", lab.USCC, RoleInspector, commissionLot, "bizStep", false},
		{"inspector without bizStep", lab.USCC, RoleInspector, func() *epcis.Event {
			ev := sample()
			ev.BizStep = ""
			return ev
		}, "bizStep", false},
		{"pending inspector", pendingUSCC, RoleInspector, sample, "", false},
		{"regulator captures anything", regulator.USCC, RoleRegulator, func() *epcis.Event {
			ev := commissionLot()
			ev.ReadPoint, ev.BizLocation = nil, nil
			ev.QuantityList[0].EPCClass = otherLot
			return ev
		}, "", true},
		{"admin imports anything", unregistered, RoleAdmin, transform, "", true},
		{"unknown role", farm.USCC, "guest", commissionLot, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := r.CheckCapture(tc.firm, tc.role, tc.event())
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var pe *PolicyError
			if !errors.As(err, &pe) || !errors.Is(err, ErrForbidden) {
				t.Fatalf("error %v, want a policy error", err)
			}
			if pe.Field != tc.field || pe.Reason == "" {
				t.Errorf("refused on field %q (%v), want field %q", pe.Field, err, tc.field)
			}
		})
	}
}

func BenchmarkCheckCapture(b *testing.B) {
	l := openLog(b)
	r := New(l)
	d := loadDemo(b, l, r)
	roles := make([]string, len(d.Events))
	for i := range d.Events {
		roles[i] = keyRole(d.Firm(d.Recorders[i]).Role)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % len(d.Events)
		if err := r.CheckCapture(d.Recorders[j], roles[j], d.Events[j]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFirmForCode(b *testing.B) {
	l := openLog(b)
	r := New(l)
	d := loadDemo(b, l, r)
	codes := append([]string{d.Codes.PasteurisedLot, d.Codes.YogurtLot, d.Codes.MultipackLot}, d.Codes.Pallets...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.FirmForCode(codes[i%len(codes)]); err != nil {
			b.Fatal(err)
		}
	}
}
